package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver fed with noise, partial, over-long, non-ASCII and forged lines between records. */
class ReceiverGarbageTest {
  private static final int RECORDS = 30;

  @TempDir Path directory;
  private List<String> records;
  private String key;

  @BeforeEach
  void writeRecords() throws Exception {
    Path state = directory.resolve("state");
    Path log = directory.resolve("alerts.log");
    key = AlertFixture.sealInit(state, log);
    try (Alerts alerts = Alerts.open(List.of("sealed:" + log), state)) {
      for (int i = 1; i < RECORDS; i++) {
        alerts.emit("change", "{\"n\":" + i + "}");
      }
    }
    records = Files.readAllLines(log, StandardCharsets.US_ASCII);
  }

  private record Outcome(String out, String err, boolean alarmed) {}

  private Receiver newReceiver(StringWriter out, StringWriter err) throws Exception {
    return new Receiver(
        new ChainVerifier(SealKey.parse(key), 0),
        null,
        null,
        new PrintWriter(out),
        new PrintWriter(err));
  }

  private Outcome receive(byte[] input) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Receiver receiver = newReceiver(out, err);
    receiver.receive(new java.io.ByteArrayInputStream(input));
    return new Outcome(out.toString(), err.toString(), receiver.alarmed());
  }

  @Test
  void randomGarbageBetweenRecordsIsSkipped() throws Exception {
    Random random = new Random(20261204);
    for (int round = 0; round < 20; round++) {
      ByteArrayOutputStream input = new ByteArrayOutputStream();
      for (String record : records) {
        byte[] noise = new byte[random.nextInt(3000)];
        random.nextBytes(noise);
        input.write(noise);
        input.write('\n');
        input.write(AlertFixture.ascii(record + "\n"));
      }
      Outcome outcome = receive(input.toByteArray());
      assertThat(outcome.out().lines().count()).as("round %d", round).isEqualTo(RECORDS);
      assertThat(outcome.alarmed()).as("round %d: %s", round, outcome.err()).isFalse();
    }
  }

  @Test
  void randomBytesAloneNeverCrash() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      byte[] noise = new byte[random.nextInt(200_000)];
      random.nextBytes(noise);
      Outcome outcome = receive(noise);
      assertThat(outcome.out()).as("round %d", round).isEmpty();
    }
  }

  @Test
  void randomBytesInSyslogFramingNeverCrash() throws Exception {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      StringWriter out = new StringWriter();
      Receiver receiver = newReceiver(out, new StringWriter());
      Framer framer = new Framer(AlertRecord.MAX_RECORD_BYTES, true, receiver::accept);
      byte[] noise = new byte[random.nextInt(200_000)];
      random.nextBytes(noise);
      // Plant frame starts among the noise so the octet-counting path runs too.
      for (int i = 0; i + 16 < noise.length; i += 1 + random.nextInt(5000)) {
        byte[] frameStart = AlertFixture.ascii("\n" + random.nextInt(99999) + " <");
        System.arraycopy(frameStart, 0, noise, i, frameStart.length);
      }
      framer.push(noise, noise.length);
      framer.finish();
      assertThat(out.toString()).as("round %d", round).isEmpty();
    }
  }

  @Test
  void overLongLineIsReported() throws Exception {
    byte[] longLine = AlertFixture.ascii("x".repeat(AlertRecord.MAX_RECORD_BYTES * 3) + "\n");
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.write(longLine);
    input.write(AlertFixture.ascii(records.get(0) + "\n"));
    Outcome outcome = receive(input.toByteArray());
    assertThat(outcome.err()).contains("over-long line");
    assertThat(outcome.out()).contains("#0 ");
  }

  @Test
  void invalidUtf8InRecordIsSkipped() throws Exception {
    byte[] record = AlertFixture.ascii(records.get(0) + "\n");
    record[record.length / 2] = (byte) 0xC3;
    Outcome outcome = receive(record);
    assertThat(outcome.err()).contains("line with byte 0xC3");
    assertThat(outcome.out()).isEmpty();
  }

  @Test
  void mutatedRecordsAreNeverAccepted() throws Exception {
    Random random = new Random(99);
    for (int round = 0; round < 500; round++) {
      byte[] record = AlertFixture.ascii(records.get(0));
      int position = random.nextInt(record.length);
      byte replacement = (byte) (0x20 + random.nextInt(0x5F));
      if (record[position] == replacement) {
        continue;
      }
      record[position] = replacement;
      byte[] line = java.util.Arrays.copyOf(record, record.length + 1);
      line[record.length] = '\n';
      Outcome outcome = receive(line);
      assertThat(outcome.out()).as("mutation at %d", position).isEmpty();
    }
  }

  @Test
  void partialLineAtEndIsReported() throws Exception {
    Outcome outcome = receive(AlertFixture.ascii(records.get(0).substring(0, 50)));
    assertThat(outcome.err()).contains("partial line");
  }

  @Test
  void forgedRecordRaisesAlarm() throws Exception {
    SealKey forger = SealKey.generate(new java.security.SecureRandom());
    AlertRecord genuine = AlertRecord.parse(records.get(0));
    AlertRecord unsealed =
        new AlertRecord(
            genuine.chainId(),
            0,
            genuine.time(),
            genuine.host(),
            "chain.start",
            AlertRecord.NO_PREVIOUS_SEAL,
            "{\"forged\":true}",
            AlertRecord.NO_PREVIOUS_SEAL);
    byte[] seal = forger.seal(AlertFixture.ascii(unsealed.body()));
    String forged = unsealed.withSeal(java.util.HexFormat.of().formatHex(seal)).toLine();
    Outcome outcome = receive(AlertFixture.ascii(forged + "\n"));
    assertThat(outcome.alarmed()).isTrue();
    assertThat(outcome.out()).isEmpty();
  }

  @Test
  void silentStdinRaisesHeartbeatAlarm() throws Exception {
    java.io.InputStream silent =
        new java.io.InputStream() {
          @Override
          public int read() throws java.io.IOException {
            try {
              Thread.sleep(2500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return -1;
          }
        };
    AlertFixture.Run run =
        AlertFixture.runWithStdin(
            silent, "receive", "--stdin", "--heartbeat-timeout=1", "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(20);
    assertThat(run.err()).contains("more than the heartbeat timeout of 1");
  }

  @Test
  void silenceRaisesHeartbeatAlarm() throws Exception {
    StringWriter err = new StringWriter();
    Receiver receiver =
        new Receiver(
            new ChainVerifier(SealKey.parse(key), 0),
            java.time.Duration.ofSeconds(1),
            "echo \"$TELLTALE_ALARM\" > " + directory.resolve("alarm.txt"),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    receiver.checkSilence(java.time.Instant.now().plusSeconds(5));
    assertThat(receiver.alarmed()).isTrue();
    assertThat(Files.readString(directory.resolve("alarm.txt"))).contains("heartbeat timeout");
  }
}
