package dev.telltale.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.OutputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

  @TempDir Path directory;

  @Test
  void commitReplacesTarget() throws Exception {
    Path target = directory.resolve("baseline.db");
    Files.writeString(target, "old");

    AtomicFile.write(target, "new".getBytes(UTF_8), null);

    assertThat(Files.readString(target)).isEqualTo("new");
  }

  @Test
  void commitLeavesNoTemporaryFile() throws Exception {
    AtomicFile.write(directory.resolve("baseline.db"), "new".getBytes(UTF_8), null);

    assertThat(fileNames()).containsExactly("baseline.db");
  }

  @Test
  void uncommittedWriteKeepsOldContent() throws Exception {
    Path target = directory.resolve("baseline.db");
    Files.writeString(target, "old");

    try (AtomicFile file = AtomicFile.create(target, null)) {
      file.stream().write("half of the new".getBytes(UTF_8));
    }

    assertThat(Files.readString(target)).isEqualTo("old");
  }

  @Test
  void uncommittedWriteDeletesTemporaryFile() throws Exception {
    try (AtomicFile file = AtomicFile.create(directory.resolve("baseline.db"), null)) {
      file.stream().write("half".getBytes(UTF_8));
    }

    assertThat(fileNames()).isEmpty();
  }

  @Test
  void symlinkTargetIsRejected() throws Exception {
    Path real = directory.resolve("real");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(directory.resolve("baseline.db"), real);

    assertThatThrownBy(() -> AtomicFile.write(link, "new".getBytes(UTF_8), null))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("symbolic link");
    assertThat(Files.readString(real)).isEqualTo("old");
  }

  @Test
  void ownerOnlyModeIs0600() throws Exception {
    Path target = directory.resolve("telltale.key");

    AtomicFile.write(target, "secret".getBytes(UTF_8), AtomicFile.OWNER_ONLY);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
  }

  @Test
  void writeNewRejectsExistingFile() throws Exception {
    Path target = directory.resolve("telltale.pub");
    Files.writeString(target, "old");

    assertThatThrownBy(() -> AtomicFile.writeNew(target, "new".getBytes(UTF_8), null))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("already exists");
    assertThat(Files.readString(target)).isEqualTo("old");
  }

  @Test
  void writeNewLeavesOnlyTarget() throws Exception {
    AtomicFile.writeNew(directory.resolve("telltale.pub"), "new".getBytes(UTF_8), null);

    assertThat(fileNames()).containsExactly("telltale.pub");
  }

  @Test
  void keptCopyHasPreviousContent() throws Exception {
    Path target = directory.resolve("baseline.db");
    Files.writeString(target, "old");

    Path kept = replaceKeepingPrevious(target, "new");

    assertThat(kept.getFileName().toString()).isEqualTo("baseline.db.20260304T050607Z");
    assertThat(Files.readString(kept)).isEqualTo("old");
    assertThat(Files.readString(target)).isEqualTo("new");
  }

  @Test
  void keptCopyIsNeverOverwritten() throws Exception {
    Path target = directory.resolve("baseline.db");
    Files.writeString(target, "old");
    Path kept = directory.resolve("baseline.db.20260304T050607Z");
    Files.writeString(kept, "older");

    assertThatThrownBy(() -> replaceKeepingPrevious(target, "new"))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("already exists");
    assertThat(Files.readString(kept)).isEqualTo("older");
    assertThat(Files.readString(target)).isEqualTo("old");
  }

  @Test
  void keepingPreviousWithoutOldFileKeepsNothing() throws Exception {
    Path target = directory.resolve("baseline.db");

    Path kept = replaceKeepingPrevious(target, "new");

    assertThat(kept).isNull();
    assertThat(fileNames()).containsExactly("baseline.db");
  }

  private Path replaceKeepingPrevious(Path target, String content) throws Exception {
    try (AtomicFile file = AtomicFile.create(target, null)) {
      file.stream().write(content.getBytes(UTF_8));
      return file.commitKeepingPrevious(NOW);
    }
  }

  private java.util.List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }
}
