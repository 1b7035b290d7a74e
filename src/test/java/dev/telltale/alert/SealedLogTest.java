package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.alert.AlertFixture.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamper cases for a sealed log, each checked by {@code log verify} and by the receiver reading the
 * log on standard input.
 */
class SealedLogTest {
  private static final int EVENTS = 5;

  @TempDir Path directory;
  private Path state;
  private Path log;
  private String key;

  @BeforeEach
  void writeLog() throws Exception {
    state = directory.resolve("state");
    log = directory.resolve("alerts.log");
    key = AlertFixture.sealInit(state, log);
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      for (int i = 0; i < EVENTS; i++) {
        alerts.emit("change", "{\"file\":{\"path\":\"/etc/f" + i + "\"}, \"note\": \"caf\u00e9\"}");
      }
    }
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(log, StandardCharsets.US_ASCII));
  }

  private void write(List<String> lines) throws Exception {
    Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
  }

  private Run verify(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("log", "verify", "--log=" + log, "--seal-key=" + key));
    args.addAll(List.of(extra));
    return AlertFixture.run(args.toArray(String[]::new));
  }

  private Run receive() throws Exception {
    return AlertFixture.runWithStdin(
        Files.readAllBytes(log), "receive", "--stdin", "--seal-key=" + key);
  }

  @Test
  void intactLogVerifies() {
    Run run = verify();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("intact, 6 records");
  }

  @Test
  void intactLogPassesReceiver() throws Exception {
    Run run = receive();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(EVENTS + 1);
  }

  @Test
  void printedKeyIsLastLineAndNotStored() throws Exception {
    assertThat(key).matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){6}");
    String stored = Files.readString(state.resolve(SealState.STATE_FILE));
    assertThat(stored).doesNotContain(key.replace("-", ""));
  }

  @Test
  void stateHoldsNoEarlierKey() throws Exception {
    SealKey initial = SealKey.parse(key);
    String stateText = Files.readString(state.resolve(SealState.STATE_FILE));
    for (int i = 0; i <= EVENTS; i++) {
      SealKey past = initial.evolve(i);
      assertThat(stateText).doesNotContain(java.util.HexFormat.of().formatHex(past.toBytes()));
    }
    SealKey current = initial.evolve(EVENTS + 1);
    assertThat(stateText).contains(java.util.HexFormat.of().formatHex(current.toBytes()));
  }

  @Test
  void editedPayloadIsTamper() throws Exception {
    List<String> lines = lines();
    lines.set(2, lines.get(2).replace("/etc/f1", "/etc/f9"));
    write(lines);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("line 3: record 2 has a bad seal");
    assertThat(receive().exitCode()).isEqualTo(20);
  }

  @Test
  void nonCanonicalTimeIsTamper() throws Exception {
    List<String> lines = lines();
    String line = lines.get(1);
    int dateStart = line.indexOf("time=") + "time=".length();
    lines.set(1, line.substring(0, dateStart) + "2026-02-30" + line.substring(dateStart + 10));
    write(lines);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("line 2:");
  }

  @Test
  void carriageReturnIsTamper() throws Exception {
    List<String> lines = lines();
    lines.set(2, lines.get(2) + "\r");
    write(lines);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("line 3:");
  }

  @Test
  void insertedEmptyLineIsTamper() throws Exception {
    List<String> lines = lines();
    lines.add(2, "");
    write(lines);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("line 3:");
  }

  @Test
  void flippedSealIsTamper() throws Exception {
    List<String> lines = lines();
    String line = lines.get(4);
    char last = line.charAt(line.length() - 1);
    lines.set(4, line.substring(0, line.length() - 1) + (last == '0' ? '1' : '0'));
    write(lines);
    assertThat(verify().exitCode()).isEqualTo(20);
    assertThat(receive().err()).contains("record 4 has a bad seal");
  }

  @Test
  void deletedRecordIsTamper() throws Exception {
    List<String> lines = lines();
    lines.remove(3);
    write(lines);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("records 3 to 3 are missing");
    Run received = receive();
    assertThat(received.exitCode()).isEqualTo(20);
    assertThat(received.err()).contains("ALARM: records 3 to 3 are missing");
  }

  @Test
  void reorderedRecordsAreTamper() throws Exception {
    List<String> lines = lines();
    Collections.swap(lines, 2, 3);
    write(lines);
    assertThat(verify().exitCode()).isEqualTo(20);
    Run received = receive();
    assertThat(received.exitCode()).isEqualTo(20);
    assertThat(received.err()).contains("record 2 repeats or comes out of order");
  }

  @Test
  void repeatedRecordIsTamper() throws Exception {
    List<String> lines = lines();
    lines.add(lines.get(2));
    write(lines);
    assertThat(verify().exitCode()).isEqualTo(20);
    assertThat(receive().exitCode()).isEqualTo(20);
  }

  @Test
  void truncatedRecordIsTamper() throws Exception {
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    Files.writeString(log, text.substring(0, text.length() - 20), StandardCharsets.US_ASCII);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("line 6: record cut short");
  }

  @Test
  void recordWithoutLineEndIsTamper() throws Exception {
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    Files.writeString(log, text.substring(0, text.length() - 1), StandardCharsets.US_ASCII);
    assertThat(verify().exitCode()).isEqualTo(20);
  }

  @Test
  void truncatedRecordReachesReceiverAsGarbage() throws Exception {
    List<String> lines = lines();
    lines.set(3, lines.get(3).substring(0, 100));
    write(lines);
    Run received = receive();
    assertThat(received.exitCode()).isEqualTo(20);
    assertThat(received.err()).contains("malformed record skipped");
    assertThat(received.err()).contains("records 3 to 3 are missing");
  }

  @Test
  void restartedLogIsTamper() throws Exception {
    Files.delete(log);
    AlertFixture.sealInit(state, log);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("starts a new chain");
    Run received = receive();
    assertThat(received.err()).contains("the chain was restarted");
  }

  @Test
  void chainRestartMidLogIsTamper() throws Exception {
    AlertFixture.sealInit(state, log);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("line 7: record 0 starts a new chain");
    assertThat(receive().exitCode()).isEqualTo(20);
  }

  @Test
  void droppedTailNeedsExpectAtLeast() throws Exception {
    List<String> lines = lines();
    lines.remove(lines.size() - 1);
    write(lines);
    assertThat(verify().exitCode()).isZero();
    Run run = verify("--expect-at-least=" + EVENTS);
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("records were dropped from the end");
  }

  @Test
  void wrongKeyIsTamper() {
    key = AlertFixture.sealInit(directory.resolve("other"), directory.resolve("other.log"));
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(20);
  }

  @Test
  void mistypedKeyIsKeyError() {
    char first = key.charAt(0);
    key = (first == 'A' ? 'B' : 'A') + key.substring(1);
    Run run = verify();
    assertThat(run.exitCode()).isEqualTo(21);
    assertThat(run.err()).contains("mistyped");
  }

  @Test
  void sealInitIntoUsedLogWithoutForceFails() {
    Run run =
        AlertFixture.run(
            "seal-init", "--log=" + log, "--state-dir=" + directory.resolve("fresh-state"));
    assertThat(run.exitCode()).isEqualTo(18);
    assertThat(run.err()).contains("already has records");
  }

  @Test
  void secondSealInitWithoutForceFails() {
    Run run =
        AlertFixture.run(
            "seal-init", "--log=" + directory.resolve("x.log"), "--state-dir=" + state);
    assertThat(run.exitCode()).isEqualTo(18);
    assertThat(run.err()).contains("--force");
  }
}
