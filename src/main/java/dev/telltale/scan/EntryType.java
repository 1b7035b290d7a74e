package dev.telltale.scan;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** The kind of a file system entry, with the name used in every text form. */
public enum EntryType {
  FILE("file", '-'),
  DIRECTORY("dir", 'd'),
  SYMLINK("symlink", 'l'),
  FIFO("fifo", 'p'),
  SOCKET("socket", 's'),
  CHAR_DEVICE("chardev", 'c'),
  BLOCK_DEVICE("blockdev", 'b'),
  /** An entry whose type could not be read, because it vanished or could not be examined. */
  UNKNOWN("unknown", '?');

  // A baseline has one label per entry; values() would copy the array for each of them.
  private static final Map<String, EntryType> BY_LABEL =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(type -> type.label, type -> type));

  private final String label;
  private final char lsLetter;

  EntryType(String label, char lsLetter) {
    this.label = label;
    this.lsLetter = lsLetter;
  }

  /** Returns the name used in baselines, reports and policies. */
  public String label() {
    return label;
  }

  /** Returns the first letter that {@code ls -l} shows for this type. */
  public char lsLetter() {
    return lsLetter;
  }

  /** Returns the type with the given label, or null. */
  public static EntryType fromLabel(String label) {
    return BY_LABEL.get(label);
  }

  /** Returns the type for the {@code S_IFMT} bits of a mode. */
  public static EntryType fromMode(int mode) {
    return switch (mode & 0170000) {
      case 0100000 -> FILE;
      case 0040000 -> DIRECTORY;
      case 0120000 -> SYMLINK;
      case 0010000 -> FIFO;
      case 0140000 -> SOCKET;
      case 0020000 -> CHAR_DEVICE;
      case 0060000 -> BLOCK_DEVICE;
      default -> UNKNOWN;
    };
  }
}
