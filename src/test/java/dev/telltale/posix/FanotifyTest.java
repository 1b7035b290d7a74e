package dev.telltale.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fanotify on a real directory (needs root), and the event parser on hostile buffers. */
class FanotifyTest {
  private static final int LISTABLE = Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC;

  @TempDir Path work;

  private static int open(Path directory) throws PosixException {
    return Posix.openat(
        Posix.AT_FDCWD, directory.toString().getBytes(StandardCharsets.UTF_8), LISTABLE, 0);
  }

  /** Reads until an event with the name arrives, for at most five seconds. */
  private static Fanotify.Event awaitEvent(Fanotify fanotify, String name) throws PosixException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (Fanotify.Event event : fanotify.read(100)) {
        if (new String(event.name(), StandardCharsets.UTF_8).equals(name)) {
          return event;
        }
      }
    }
    return null;
  }

  @Test
  void directoryMarkReportsCreateWithDirectoryId() throws Exception {
    try (Fanotify fanotify = Fanotify.open()) {
      int fd = open(work);
      Fanotify.FileId id;
      try {
        fanotify.markDirectory(fd);
        id = Fanotify.fileIdOf(fd);
      } finally {
        Posix.close(fd);
      }
      Files.writeString(work.resolve("created"), "x");

      Fanotify.Event event = awaitEvent(fanotify, "created");

      assertThat(event).isNotNull();
      assertThat(event.has(Fanotify.FAN_CREATE)).isTrue();
      assertThat(event.directory()).isEqualTo(id);
    }
  }

  @Test
  void filesystemMarkReportsSubdirectoryEvents() throws Exception {
    Path deeper = Files.createDirectories(work.resolve("a/b"));
    try (Fanotify fanotify = Fanotify.open()) {
      int fd = open(work);
      int deeperFd = open(deeper);
      Fanotify.FileId id;
      try {
        fanotify.markFilesystem(fd);
        id = Fanotify.fileIdOf(deeperFd);
      } finally {
        Posix.close(fd);
        Posix.close(deeperFd);
      }
      Files.writeString(deeper.resolve("file"), "x");

      Fanotify.Event event = awaitEvent(fanotify, "file");

      assertThat(event).isNotNull();
      assertThat(event.directory()).isEqualTo(id);
    }
  }

  @Test
  void differentDirectoriesHaveDifferentIds() throws Exception {
    Path other = Files.createDirectories(work.resolve("other"));
    int fd = open(work);
    int otherFd = open(other);
    try {
      assertThat(Fanotify.fileIdOf(fd)).isNotEqualTo(Fanotify.fileIdOf(otherFd));
    } finally {
      Posix.close(fd);
      Posix.close(otherFd);
    }
  }

  /** Builds one event of metadata, a DFID_NAME record with a 8-byte handle, and the name. */
  private static byte[] event(long mask, String name) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    int infoBytes = (20 + 8 + nameBytes.length + 1 + 3) & ~3;
    int eventBytes = Fanotify.METADATA_BYTES + infoBytes;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment segment = arena.allocate(eventBytes);
      segment.set(ValueLayout.JAVA_INT, 0, eventBytes);
      segment.set(ValueLayout.JAVA_BYTE, 4, (byte) Fanotify.METADATA_VERSION);
      segment.set(ValueLayout.JAVA_SHORT, 6, (short) Fanotify.METADATA_BYTES);
      segment.set(ValueLayout.JAVA_LONG, 8, mask);
      segment.set(ValueLayout.JAVA_INT, 16, -1);
      segment.set(ValueLayout.JAVA_INT, 20, 1234);
      long info = Fanotify.METADATA_BYTES;
      segment.set(ValueLayout.JAVA_BYTE, info, (byte) Fanotify.INFO_TYPE_DFID_NAME);
      segment.set(ValueLayout.JAVA_SHORT, info + 2, (short) infoBytes);
      segment.set(ValueLayout.JAVA_LONG_UNALIGNED, info + 4, 0x1122334455667788L);
      segment.set(ValueLayout.JAVA_INT_UNALIGNED, info + 12, 8);
      segment.set(ValueLayout.JAVA_INT_UNALIGNED, info + 16, 1);
      segment.set(ValueLayout.JAVA_LONG_UNALIGNED, info + 20, 42L);
      MemorySegment.copy(nameBytes, 0, segment, ValueLayout.JAVA_BYTE, info + 28, nameBytes.length);
      return segment.toArray(ValueLayout.JAVA_BYTE);
    }
  }

  private static List<Fanotify.Event> parse(byte[] bytes) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment segment = arena.allocate(Math.max(1, bytes.length));
      MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
      return new ArrayList<>(Fanotify.parse(segment, bytes.length));
    }
  }

  @Test
  void parseReadsNameAndHandle() throws Exception {
    List<Fanotify.Event> events = parse(event(Fanotify.FAN_CREATE, "name"));

    assertThat(events).hasSize(1);
    assertThat(events.getFirst().name()).isEqualTo("name".getBytes(StandardCharsets.UTF_8));
    assertThat(events.getFirst().directory().handle()).hasSize(8);
    assertThat(events.getFirst().directory().fsid()).isEqualTo(0x1122334455667788L);
  }

  @Test
  void parseRejectsTruncatedEvent() {
    byte[] whole = event(Fanotify.FAN_CREATE, "name");
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 4);

    assertThatThrownBy(() -> parse(truncated))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("event length");
  }

  @Test
  void parseRejectsOversizedHandle() {
    byte[] bytes = event(Fanotify.FAN_CREATE, "name");
    bytes[Fanotify.METADATA_BYTES + 12] = (byte) 0xff;

    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("file handle of 255 bytes");
  }

  @Test
  void parseRejectsInfoLongerThanEvent() {
    byte[] bytes = event(Fanotify.FAN_CREATE, "name");
    bytes[Fanotify.METADATA_BYTES + 2] = (byte) 0x7f;

    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("info record length");
  }

  @Test
  void parseRejectsNameWithoutNul() {
    byte[] bytes = event(Fanotify.FAN_CREATE, "abc");
    for (int i = Fanotify.METADATA_BYTES + 28; i < bytes.length; i++) {
      bytes[i] = 'z';
    }

    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("terminating NUL");
  }

  @Test
  void parseRejectsUnknownVersion() {
    byte[] bytes = event(Fanotify.FAN_CREATE, "name");
    bytes[4] = 2;

    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("metadata version 2");
  }

  @Test
  void parseReadsOverflowWithoutInfo() throws Exception {
    byte[] whole = event(Fanotify.FAN_Q_OVERFLOW, "x");
    byte[] bytes = java.util.Arrays.copyOf(whole, Fanotify.METADATA_BYTES);
    bytes[0] = (byte) Fanotify.METADATA_BYTES;

    List<Fanotify.Event> events = parse(bytes);

    assertThat(events.getFirst().has(Fanotify.FAN_Q_OVERFLOW)).isTrue();
    assertThat(events.getFirst().directory()).isNull();
  }
}
