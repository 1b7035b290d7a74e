package dev.telltale.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.crypto.SigningKey;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineRoundTripTest {
  private final SigningKey key = SigningKey.generate();

  @TempDir Path directory;

  @AfterEach
  void closeKey() {
    key.close();
  }

  @Test
  void entriesRoundTrip() throws Exception {
    Path file = directory.resolve("baseline.db");
    List<Entry> entries = TestBaselines.sampleEntries();

    TestBaselines.write(file, key, entries);

    assertThat(TestBaselines.readAll(file, key.verifyKey())).isEqualTo(entries);
  }

  @Test
  void headerRoundTrips() throws Exception {
    Path file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, TestBaselines.sampleEntries());

    try (BaselineReader reader = BaselineReader.open(file, key.verifyKey())) {
      assertThat(reader.header()).isEqualTo(TestBaselines.header(key));
    }
  }

  @Test
  void entryCountMatchesEntries() throws Exception {
    Path file = directory.resolve("baseline.db");
    List<Entry> entries = TestBaselines.sampleEntries();
    TestBaselines.write(file, key, entries);

    try (BaselineReader reader = BaselineReader.open(file, key.verifyKey())) {
      assertThat(reader.entryCount()).isEqualTo(entries.size());
    }
  }

  @Test
  void emptyBaselineRoundTrips() throws Exception {
    Path file = directory.resolve("baseline.db");

    TestBaselines.write(file, key, List.of());

    assertThat(TestBaselines.readAll(file, key.verifyKey())).isEmpty();
  }

  @Test
  void linesHaveNoWhitespaceInFields() throws Exception {
    Path file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, TestBaselines.sampleEntries());

    String content = TestBaselines.gunzip(file);

    assertThat(content).contains("\n/etc/new%0Aline type=unknown error=cannot%20stat:");
    assertThat(content).contains("\n/etc/with%20space type=symlink error=\n");
    assertThat(content).contains("\n/etc/bad%FF%FE type=file size=0\n");
  }

  @Test
  void fileSha256MatchesStoredBytes() throws Exception {
    Path file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, TestBaselines.sampleEntries());
    String expected =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));

    try (BaselineReader reader = BaselineReader.open(file, key.verifyKey())) {
      assertThat(reader.fileSha256()).isEqualTo(expected);
    }
  }

  @Test
  void unverifiedReaderReadsWithoutKey() throws Exception {
    Path file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, TestBaselines.sampleEntries());

    try (BaselineReader reader = BaselineReader.openUnverified(file);
        EntryStream entries = reader.entries()) {
      assertThat(reader.isVerified()).isFalse();
      assertThat(entries.next().path()).isEqualTo(FsPath.ROOT);
    }
  }

  @Test
  void verifiedReaderSaysVerified() throws Exception {
    Path file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, List.of());

    try (BaselineReader reader = BaselineReader.open(file, key.verifyKey())) {
      assertThat(reader.isVerified()).isTrue();
    }
  }

  @Test
  void writerRejectsOutOfOrderEntry() throws Exception {
    try (BaselineWriter writer =
        BaselineWriter.create(directory.resolve("baseline.db"), TestBaselines.header(key), key)) {
      writer.write(entry("/usr"));

      assertThatThrownBy(() -> writer.write(entry("/etc")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out of order");
    }
  }

  @Test
  void writerRejectsDuplicateEntry() throws Exception {
    try (BaselineWriter writer =
        BaselineWriter.create(directory.resolve("baseline.db"), TestBaselines.header(key), key)) {
      writer.write(entry("/etc"));

      assertThatThrownBy(() -> writer.write(entry("/etc")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already written");
    }
  }

  @Test
  void writerRejectsHeaderOfOtherKey() {
    try (SigningKey other = SigningKey.generate()) {
      assertThatThrownBy(
              () ->
                  BaselineWriter.create(
                      directory.resolve("baseline.db"), TestBaselines.header(other), key))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void uncommittedWriterLeavesNothing() throws Exception {
    try (BaselineWriter writer =
        BaselineWriter.create(directory.resolve("baseline.db"), TestBaselines.header(key), key)) {
      writer.write(entry("/etc"));
    }

    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void commitKeepsPreviousBaseline() throws Exception {
    Path file = directory.resolve("baseline.db");
    TestBaselines.write(file, key, List.of(entry("/old")));
    Path kept;

    try (BaselineWriter writer = BaselineWriter.create(file, TestBaselines.header(key), key)) {
      writer.write(entry("/new"));
      kept = writer.commitKeepingPrevious(Instant.parse("2026-05-06T07:08:09Z"));
    }

    assertThat(kept).isEqualTo(directory.resolve("baseline.db.20260506T070809Z"));
    assertThat(TestBaselines.readAll(kept, key.verifyKey())).containsExactly(entry("/old"));
    assertThat(TestBaselines.readAll(file, key.verifyKey())).containsExactly(entry("/new"));
  }

  private static Entry entry(String path) {
    return new Entry(FsPath.of(path), EntryType.FILE, Map.of(), null);
  }
}
