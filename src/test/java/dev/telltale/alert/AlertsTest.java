package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.UsageException;
import dev.telltale.alert.AlertFixture.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTest {
  @TempDir Path directory;
  private Path state;
  private Path log;
  private String key;

  @BeforeEach
  void startChain() {
    state = directory.resolve("state");
    log = directory.resolve("alerts.log");
    key = AlertFixture.sealInit(state, log);
  }

  private List<AlertRecord> records(Path file) throws Exception {
    List<AlertRecord> records = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      records.add(AlertRecord.parse(line));
    }
    return records;
  }

  @Test
  void twoWritersShareOneChain() throws Exception {
    int perWriter = 40;
    try (Alerts first = Alerts.open(List.of("sealed:" + log), state);
        Alerts second = Alerts.open(List.of("sealed:" + log), state)) {
      Thread other =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < perWriter; i++) {
                      try {
                        first.emit("change", "{\"writer\":1}");
                      } catch (dev.telltale.TelltaleException e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  });
      for (int i = 0; i < perWriter; i++) {
        second.emit("change", "{\"writer\":2}");
      }
      other.join();
    }
    List<Long> sequences = records(log).stream().map(AlertRecord::sequence).toList();
    assertThat(sequences).hasSize(2 * perWriter + 1);
    assertThat(sequences).isSorted();
    Run run = AlertFixture.run("log", "verify", "--log=" + log, "--seal-key=" + key);
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  @Test
  void execSinkGetsRecordOnStdin() throws Exception {
    Path printed = directory.resolve("printed.txt");
    try (Alerts alerts = Alerts.open(List.of("exec:cat >> " + printed), state)) {
      alerts.emit("check.start", "{}");
    }
    assertThat(records(printed).get(0).kind()).isEqualTo("check.start");
  }

  @Test
  void failingExecSinkIsSpooledAndRecovers() throws Exception {
    Path gate = directory.resolve("gate");
    Path printed = directory.resolve("printed.txt");
    String sink = "exec:test -e " + gate + " && cat >> " + printed;
    List<String> sinks = List.of(sink, "sealed:" + log);
    try (Alerts alerts = Alerts.open(sinks, state)) {
      alerts.emit("change", "{\"n\":1}");
      alerts.emit("change", "{\"n\":2}");
    }
    assertThat(Files.exists(printed)).isFalse();
    Files.createFile(gate);
    try (Alerts alerts = Alerts.open(sinks, state)) {
      alerts.emit("change", "{\"n\":3}");
    }
    List<String> kinds = records(printed).stream().map(AlertRecord::kind).toList();
    assertThat(kinds)
        .containsExactly("change", "sink.failed", "change", "change", "sink.recovered");
    assertThat(records(printed).stream().map(AlertRecord::sequence).toList())
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(records(log).stream().map(AlertRecord::kind).toList()).contains("sink.failed");
  }

  @Test
  void nonAsciiPayloadIsEscaped() throws Exception {
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      alerts.emit("change", "{ \"path\" : \"/etc/caf\u00e9\\n\" }");
    }
    assertThat(records(log).get(1).payloadJson()).isEqualTo("{\"path\":\"/etc/caf\\u00E9\\n\"}");
  }

  @Test
  void invalidKindIsUsageError() throws Exception {
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      assertThatThrownBy(() -> alerts.emit("Bad Kind", "{}")).isInstanceOf(UsageException.class);
    }
  }

  @Test
  void payloadThatIsNoObjectIsUsageError() throws Exception {
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      assertThatThrownBy(() -> alerts.emit("change", "[1]")).isInstanceOf(UsageException.class);
      assertThatThrownBy(() -> alerts.emit("change", "{} {}")).isInstanceOf(UsageException.class);
    }
  }

  @Test
  void oversizedPayloadIsReplacedByDigest() throws Exception {
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      alerts.emit("change", "{\"p\":\"" + "x".repeat(AlertRecord.MAX_RECORD_BYTES) + "\"}");
    }
    assertThat(records(log).get(1).payloadJson()).contains("payload_too_long");
  }

  @Test
  void heartbeatCarriesLastCheck() throws Exception {
    new HeartbeatState(Instant.parse("2026-01-02T03:04:05Z"), 4).write(state);
    Run run = AlertFixture.run("heartbeat", "--sink=sealed:" + log, "--state-dir=" + state);
    assertThat(run.exitCode()).as(run.err()).isZero();
    AlertRecord heartbeat = records(log).get(1);
    assertThat(heartbeat.kind()).isEqualTo("heartbeat");
    assertThat(heartbeat.payloadJson()).contains("\"exit_code\":4");
  }

  @Test
  void heartbeatTimerEmitsRepeatedly() throws Exception {
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      Alerts.HeartbeatTimer timer = alerts.startHeartbeats(java.time.Duration.ofMillis(200));
      Thread.sleep(1100);
      timer.close();
    }
    long heartbeats =
        records(log).stream().filter(record -> record.kind().equals("heartbeat")).count();
    assertThat(heartbeats).isGreaterThanOrEqualTo(3);
  }

  @Test
  void emitAfterCloseFails() throws Exception {
    Alerts alerts = Alerts.open(List.of("sealed:" + log), state);
    alerts.close();
    assertThatThrownBy(() -> alerts.emit("change", "{}"))
        .isInstanceOf(dev.telltale.OutputException.class);
  }

  @Test
  void heartbeatBeforeFirstCheckSaysNull() throws Exception {
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      alerts.heartbeat();
    }
    assertThat(records(log).get(1).payloadJson()).isEqualTo("{\"last_check\":null}");
  }

  @Test
  void sinkConfigErrorNamesLine() throws Exception {
    Path config = directory.resolve("sinks.conf");
    Files.writeString(config, "# sinks\nsealed:" + log + "\nsyslog+tls://h:1\n");
    Run run = AlertFixture.run("heartbeat", "--sink-config=" + config, "--state-dir=" + state);
    assertThat(run.exitCode()).isEqualTo(16);
    assertThat(run.err()).contains("sinks.conf:3:");
  }

  @Test
  void unknownSinkSchemeIsUsageError() {
    Run run = AlertFixture.run("heartbeat", "--sink=ftp://x", "--state-dir=" + state);
    assertThat(run.exitCode()).isEqualTo(16);
  }

  @Test
  void unsupportedBaudIsUsageError() {
    Run run =
        AlertFixture.run("heartbeat", "--sink=serial:/dev/ttyS0?baud=1234", "--state-dir=" + state);
    assertThat(run.exitCode()).isEqualTo(16);
    assertThat(run.err()).contains("unsupported speed 1234");
  }

  @Test
  void heartbeatWithoutChainIsKeyError() {
    Run run =
        AlertFixture.run(
            "heartbeat", "--sink=sealed:" + log, "--state-dir=" + directory.resolve("empty"));
    assertThat(run.exitCode()).isEqualTo(21);
  }
}
