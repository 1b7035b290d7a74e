package dev.telltale.scan;

import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import dev.telltale.posix.Statx;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Id-to-name map read from the scanned tree's own {@code etc/passwd} or {@code etc/group}, so that
 * a clone checked on another machine shows the clone's names. The file is opened below the root
 * descriptor with O_NOFOLLOW at each step, so a symbolic link planted there leads nowhere; such a
 * file, a missing one, or one over {@link #MAX_FILE_BYTES} gives an empty table. Lines that do not
 * parse are skipped; for an id listed twice the first line wins, as in glibc's lookup.
 */
final class NameTable {
  /** Largest passwd or group file read. */
  static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

  /** Longest user or group name kept; longer ones are treated as absent. */
  static final int MAX_NAME_BYTES = 256;

  private static final NameTable EMPTY = new NameTable(Map.of());

  private final Map<Long, String> names;

  private NameTable(Map<Long, String> names) {
    this.names = names;
  }

  /** Returns the escaped name for an id, or null when the file lists none. */
  String nameOf(long id) {
    return names.get(id);
  }

  /** Reads {@code etc/<fileName>} below the root directory descriptor. */
  static NameTable load(int rootFd, String fileName) {
    byte[] content = readBelow(rootFd, fileName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return content == null ? EMPTY : parse(content);
  }

  static NameTable parse(byte[] content) {
    Map<Long, String> names = new HashMap<>();
    int lineStart = 0;
    for (int i = 0; i <= content.length; i++) {
      if (i == content.length || content[i] == '\n') {
        parseLine(Arrays.copyOfRange(content, lineStart, i), names);
        lineStart = i + 1;
      }
    }
    return new NameTable(names);
  }

  private static void parseLine(byte[] line, Map<Long, String> names) {
    int firstColon = indexOf(line, 0);
    if (firstColon <= 0 || firstColon > MAX_NAME_BYTES) {
      return;
    }
    // NIS compatibility lines ("+name", "-name") name no local account.
    if (line[0] == '+' || line[0] == '-') {
      return;
    }
    int secondColon = indexOf(line, firstColon + 1);
    if (secondColon < 0) {
      return;
    }
    int thirdColon = indexOf(line, secondColon + 1);
    int idEnd = thirdColon < 0 ? line.length : thirdColon;
    long id = parseId(line, secondColon + 1, idEnd);
    if (id < 0) {
      return;
    }
    names.putIfAbsent(id, PathEscape.escape(Arrays.copyOf(line, firstColon)));
  }

  private static int indexOf(byte[] line, int from) {
    for (int i = from; i < line.length; i++) {
      if (line[i] == ':') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the decimal id in {@code [from, to)}, or -1 unless it is 1 to 10 digits up to 2^32-1.
   */
  private static long parseId(byte[] line, int from, int to) {
    if (to <= from || to - from > 10) {
      return -1;
    }
    long id = 0;
    for (int i = from; i < to; i++) {
      if (line[i] < '0' || line[i] > '9') {
        return -1;
      }
      id = id * 10 + (line[i] - '0');
    }
    return id <= 0xFFFFFFFFL ? id : -1;
  }

  private static byte[] readBelow(int rootFd, byte[] fileName) {
    int etcFd = -1;
    int fileFd = -1;
    try {
      etcFd =
          Posix.openat(
              rootFd,
              new byte[] {'e', 't', 'c'},
              Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC,
              0);
      fileFd =
          Posix.openat(
              etcFd,
              fileName,
              Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC,
              0);
      Statx stat = Posix.fstat(fileFd);
      if (stat.fileTypeBits() != 0100000
          || Long.compareUnsigned(stat.sizeBytes(), MAX_FILE_BYTES) > 0) {
        return null;
      }
      byte[] content = new byte[(int) stat.sizeBytes()];
      int filled = 0;
      while (filled < content.length) {
        int count = Posix.read(fileFd, content, filled, content.length - filled);
        if (count == 0) {
          break;
        }
        filled += count;
      }
      return Arrays.copyOf(content, filled);
    } catch (PosixException e) {
      // NOTE: an unreadable passwd or group file leaves every name absent without an error.
      return null;
    } finally {
      Posix.close(fileFd);
      Posix.close(etcFd);
    }
  }
}
