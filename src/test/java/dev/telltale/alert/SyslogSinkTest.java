package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.alert.AlertFixture.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syslog sink against a real rsyslogd started by the test, over TCP and TLS. */
class SyslogSinkTest {
  private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path directory;
  private Path state;
  private String key;

  @BeforeEach
  void startChain() {
    state = directory.resolve("state");
    key = AlertFixture.sealInit(state, directory.resolve("alerts.log"));
  }

  private static List<Long> sequences(List<String> lines) throws Exception {
    List<Long> sequences = new ArrayList<>();
    for (String line : lines) {
      sequences.add(AlertRecord.parse(line).sequence());
    }
    return sequences;
  }

  private void awaitRecords(Rsyslog rsyslog, int count) throws Exception {
    ExternalTool.awaitTrue(
        () -> {
          try {
            return rsyslog.records().size() >= count;
          } catch (java.io.IOException e) {
            return false;
          }
        },
        ARRIVAL_TIMEOUT,
        "rsyslog did not write " + count + " records");
  }

  /** Makes a CA and a server certificate for 127.0.0.1 with openssl. */
  private Path certificates(String subjectAltName) throws Exception {
    String openssl = ExternalTool.require("openssl", "openssl");
    Path certificates = directory.resolve("certificates");
    Files.createDirectories(certificates);
    ExternalTool.runToCompletion(
        certificates,
        openssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=telltale test CA",
        "-days",
        "2");
    ExternalTool.runToCompletion(
        certificates,
        openssl,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=telltale test server");
    Files.writeString(certificates.resolve("san.cnf"), "subjectAltName=" + subjectAltName + "\n");
    ExternalTool.runToCompletion(
        certificates,
        openssl,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.cnf");
    return certificates;
  }

  @Test
  void recordsArriveOverTcp() throws Exception {
    try (Rsyslog rsyslog = Rsyslog.configure(directory.resolve("rsyslog"), null)) {
      rsyslog.start();
      String sink = "syslog+tcp://127.0.0.1:" + rsyslog.port();
      try (Alerts alerts = Alerts.open(List.of(sink), state)) {
        alerts.emit("check.start", "{}");
        alerts.emit("change", "{\"file\":{\"path\":\"/etc/passwd\"},\"note\":\"\u00fcber\"}");
        alerts.emit("check.end", "{\"exit_code\":4}");
      }
      awaitRecords(rsyslog, 3);
      assertThat(sequences(rsyslog.records()))
          .as(rsyslog.diagnostics())
          .containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void largeRecordArrivesWhole() throws Exception {
    try (Rsyslog rsyslog = Rsyslog.configure(directory.resolve("rsyslog"), null)) {
      rsyslog.start();
      String sink = "syslog+tcp://127.0.0.1:" + rsyslog.port();
      String path = "/x".repeat(20_000);
      try (Alerts alerts = Alerts.open(List.of(sink), state)) {
        alerts.emit("change", "{\"file\":{\"path\":\"" + path + "\"}}");
      }
      awaitRecords(rsyslog, 1);
      assertThat(AlertRecord.parse(rsyslog.records().get(0)).payloadJson()).contains(path);
    }
  }

  @Test
  void recordsArriveOverTls() throws Exception {
    Path certificates = certificates("IP:127.0.0.1");
    try (Rsyslog rsyslog = Rsyslog.configure(directory.resolve("rsyslog"), certificates)) {
      rsyslog.start();
      String sink =
          "syslog+tls://127.0.0.1:" + rsyslog.port() + "?ca=" + certificates.resolve("ca.pem");
      try (Alerts alerts = Alerts.open(List.of(sink), state)) {
        alerts.emit("check.start", "{}");
        alerts.emit("check.end", "{\"exit_code\":0}");
      }
      awaitRecords(rsyslog, 2);
      assertThat(sequences(rsyslog.records())).as(rsyslog.diagnostics()).containsExactly(1L, 2L);
    }
  }

  @Test
  void tlsRejectsCertificateForOtherHost() throws Exception {
    Path certificates = certificates("DNS:elsewhere.example");
    Path other = directory.resolve("other.log");
    try (Rsyslog rsyslog = Rsyslog.configure(directory.resolve("rsyslog"), certificates)) {
      rsyslog.start();
      String sink =
          "syslog+tls://127.0.0.1:" + rsyslog.port() + "?ca=" + certificates.resolve("ca.pem");
      try (Alerts alerts = Alerts.open(List.of(sink, "file:" + other), state)) {
        alerts.emit("check.start", "{}");
      }
      Thread.sleep(500);
      assertThat(rsyslog.records()).isEmpty();
      assertThat(Files.readString(other)).contains("kind=sink.failed");
    }
  }

  @Test
  void outageIsSpooledAndReported() throws Exception {
    Path other = directory.resolve("other.log");
    try (Rsyslog rsyslog = Rsyslog.configure(directory.resolve("rsyslog"), null)) {
      rsyslog.start();
      List<String> sinks = List.of("syslog+tcp://127.0.0.1:" + rsyslog.port(), "file:" + other);
      try (Alerts alerts = Alerts.open(sinks, state)) {
        alerts.emit("check.start", "{}");
        alerts.emit("check.end", "{\"exit_code\":0}");
      }
      awaitRecords(rsyslog, 2);
      rsyslog.stop();
      try (Alerts alerts = Alerts.open(sinks, state)) {
        alerts.emit("check.start", "{}");
        alerts.emit("change", "{\"file\":{\"path\":\"/etc/shadow\"}}");
        alerts.emit("check.end", "{\"exit_code\":4}");
      }
      rsyslog.start();
      try (Alerts alerts = Alerts.open(sinks, state)) {
        alerts.emit("check.start", "{}");
        alerts.emit("check.end", "{\"exit_code\":0}");
      }
      List<String> delivered = Files.readAllLines(other, StandardCharsets.US_ASCII);
      awaitRecords(rsyslog, delivered.size());
      List<String> received = rsyslog.records();
      assertThat(received).as(rsyslog.diagnostics()).isEqualTo(delivered);
      assertThat(String.join("\n", delivered)).contains("kind=sink.failed");
      assertThat(String.join("\n", delivered)).contains("kind=sink.recovered");
      Path receivedFile = directory.resolve("received.log");
      Files.writeString(receivedFile, String.join("\n", received) + "\n");
      Run run =
          AlertFixture.runWithStdin(
              Files.readAllBytes(receivedFile),
              "receive",
              "--stdin",
              "--start-at=1",
              "--seal-key=" + key);
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
  }
}
