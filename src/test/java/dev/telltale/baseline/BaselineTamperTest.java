package dev.telltale.baseline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.TamperException;
import dev.telltale.crypto.SigningKey;
import dev.telltale.scan.EntryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change to a signed baseline must fail with exit code 19 or 20, never yield entries. */
class BaselineTamperTest {
  private static final int FORMAT = 19;
  private static final int TAMPERED = 20;

  private final SigningKey key = SigningKey.generate();

  @TempDir Path directory;

  private Path file;
  private byte[] stored;
  private String content;

  @BeforeEach
  void writeBaseline() throws Exception {
    file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, TestBaselines.sampleEntries());
    stored = Files.readAllBytes(file);
    content = TestBaselines.gunzip(file);
  }

  @AfterEach
  void closeKey() {
    key.close();
  }

  @Test
  void intactBaselineReads() {
    assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey())).isZero();
  }

  @Test
  void flippedStoredByteFails() throws Exception {
    // Single high bits are not flipped: in the last byte of the deflate data they can be the
    // padding that inflate ignores, which leaves the signed content unchanged.
    for (int mask : new int[] {0x01, 0xFF}) {
      for (int position = 0; position < stored.length; position++) {
        byte[] altered = stored.clone();
        altered[position] ^= (byte) mask;
        Files.write(file, altered);
        assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey()))
            .as("byte %d of %d xor %02x", position, stored.length, mask)
            .isIn(FORMAT, TAMPERED);
      }
    }
  }

  @Test
  void flippedContentByteFails() throws Exception {
    byte[] plain = content.getBytes(UTF_8);
    for (int position = 0; position < plain.length; position++) {
      byte[] altered = plain.clone();
      altered[position] ^= 0x01;
      TestBaselines.gzip(file, altered);
      assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey()))
          .as("content byte %d of %d", position, plain.length)
          .isIn(FORMAT, TAMPERED);
    }
  }

  @Test
  void changedEntryValueIsTampered() throws Exception {
    TestBaselines.writeContent(file, content.replace("mode=0755", "mode=0777"));

    assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey())).isEqualTo(TAMPERED);
  }

  @Test
  void truncatedStoredFileFails() throws Exception {
    for (int length = 0; length < stored.length; length++) {
      Files.write(file, Arrays.copyOf(stored, length));
      assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey()))
          .as("truncated to %d of %d bytes", length, stored.length)
          .isEqualTo(FORMAT);
    }
  }

  @Test
  void truncatedContentFails() throws Exception {
    byte[] plain = content.getBytes(UTF_8);
    for (int length = 0; length < plain.length; length++) {
      TestBaselines.gzip(file, Arrays.copyOf(plain, length));
      assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey()))
          .as("content truncated to %d of %d bytes", length, plain.length)
          .isIn(FORMAT, TAMPERED);
    }
  }

  @Test
  void otherPublicKeyIsTampered() {
    try (SigningKey other = SigningKey.generate()) {
      assertThatThrownBy(() -> TestBaselines.readAll(file, other.verifyKey()))
          .isInstanceOf(TamperException.class)
          .hasMessageContaining(key.verifyKey().fingerprint())
          .hasMessageContaining(other.verifyKey().fingerprint());
    }
  }

  @Test
  void reorderedForgeryIsTampered() throws Exception {
    List<String> lines = List.of(content.split("\n"));
    int first =
        lines.indexOf(lines.stream().filter(l -> l.startsWith("/etc/100")).findFirst().get());
    String swapped =
        content.replace(
            lines.get(first) + "\n" + lines.get(first + 1) + "\n",
            lines.get(first + 1) + "\n" + lines.get(first) + "\n");
    try (SigningKey attacker = SigningKey.generate()) {
      String forged =
          swapped.replace(key.verifyKey().fingerprint(), attacker.verifyKey().fingerprint());
      TestBaselines.writeContent(file, TestBaselines.resign(forged, attacker));

      assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey())).isEqualTo(TAMPERED);
    }
  }

  @Test
  void foreignSignatureIsTampered() throws Exception {
    try (SigningKey attacker = SigningKey.generate()) {
      TestBaselines.writeContent(file, TestBaselines.resign(content, attacker));

      assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
          .isInstanceOf(TamperException.class)
          .hasMessageContaining("altered after signing");
    }
  }

  @Test
  void signedDisorderIsFormatError() throws Exception {
    String swapped =
        content.replace("\n/etc type=dir\n", "\n").replace("\n/etc-1 ", "\n/etc type=dir\n/etc-1 ");
    TestBaselines.writeContent(file, TestBaselines.resign(swapped, key));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("out of canonical order");
  }

  @Test
  void unknownFormatVersionIsFormatError() throws Exception {
    String newer = content.replaceFirst("telltale-baseline 1\n", "telltale-baseline 2\n");
    TestBaselines.writeContent(file, TestBaselines.resign(newer, key));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("unknown baseline format version '2'");
  }

  @Test
  void garbageAfterCompressedDataIsFormatError() throws Exception {
    byte[] appended = Arrays.copyOf(stored, stored.length + 5);
    Files.write(file, appended);

    assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey())).isEqualTo(FORMAT);
  }

  @Test
  void secondGzipMemberIsFormatError() throws Exception {
    byte[] doubled = Arrays.copyOf(stored, stored.length * 2);
    System.arraycopy(stored, 0, doubled, stored.length, stored.length);
    Files.write(file, doubled);

    assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey())).isEqualTo(FORMAT);
  }

  @Test
  void lineAfterSignatureIsFormatError() throws Exception {
    TestBaselines.writeContent(file, content + "/extra type=file\n");

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("after the signature line");
  }

  @Test
  void unknownHeaderKeyIsFormatError() throws Exception {
    String extended = content.replace("\npackage ", "\nkernel-cmdline quiet\npackage ");
    TestBaselines.writeContent(file, TestBaselines.resign(extended, key));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("unknown header line 'kernel-cmdline%20quiet'");
  }

  @Test
  void unknownFieldIsFormatError() throws Exception {
    String extended = content.replace("\n/etc type=dir\n", "\n/etc type=dir colour=red\n");
    TestBaselines.writeContent(file, TestBaselines.resign(extended, key));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining(":11: unknown field 'colour'");
  }

  @Test
  void invalidEscapeIsFormatError() throws Exception {
    String broken = content.replace("\n/etc type=dir\n", "\n/etc type=dir mode=%GG\n");
    TestBaselines.writeContent(file, TestBaselines.resign(broken, key));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("invalid escaped value");
  }

  @Test
  void wrongEntryCountIsFormatError() throws Exception {
    String miscounted = content.replace("\nentry-count 7\n", "\nentry-count 8\n");
    TestBaselines.writeContent(file, TestBaselines.resign(miscounted, key));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("the entry count line states 8, but the file has 7 entries");
  }

  @Test
  void overlongLineIsFormatError() throws Exception {
    String longLine = "/etc/x type=file size=" + "9".repeat(LineReader.MAX_LINE_BYTES);
    TestBaselines.writeContent(
        file, content.replace("\nentry-count", "\n" + longLine + "\nentry-count"));

    assertThatThrownBy(() -> TestBaselines.readAll(file, key.verifyKey()))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("line longer than 1048576 bytes");
  }

  @Test
  void missingFileIsFormatError() {
    assertThat(TestBaselines.exitCodeOfReading(directory.resolve("absent.db"), key.verifyKey()))
        .isEqualTo(FORMAT);
  }

  @Test
  void plainTextFileIsFormatError() throws Exception {
    Files.writeString(file, content);

    assertThat(TestBaselines.exitCodeOfReading(file, key.verifyKey())).isEqualTo(FORMAT);
  }

  @Test
  void changeBetweenPassesIsTampered() throws Exception {
    Path other = directory.resolve("other.db");
    TestBaselines.write(other, key, TestBaselines.sampleEntries().subList(0, 3));

    try (BaselineReader reader = BaselineReader.open(file, key.verifyKey())) {
      // Rewrites the same inode that the reader keeps open, as an attacker writing in place would.
      Files.write(file, Files.readAllBytes(other));
      try (EntryStream entries = reader.entries()) {
        assertThatThrownBy(
                () -> {
                  while (entries.next() != null) {
                    // Drains the stream; the failure comes at its end.
                  }
                })
            .isInstanceOf(TamperException.class)
            .hasMessageContaining("changed while it was being read");
      }
    }
  }
}
