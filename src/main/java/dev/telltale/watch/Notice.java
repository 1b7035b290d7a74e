package dev.telltale.watch;

import dev.telltale.scan.FsPath;

/**
 * An event of either mechanism, with the directory resolved to its path.
 *
 * @param kind what happened
 * @param directory the watched directory concerned; the root for an overflow or unknown directory
 * @param name the entry's name for {@link Kind#ENTRY}, empty otherwise
 * @param structural true when an entry was created, deleted or moved in or out
 * @param isDirectory true when the entry is a directory
 */
record Notice(Kind kind, FsPath directory, byte[] name, boolean structural, boolean isDirectory) {
  enum Kind {
    /** The kernel's event queue overflowed: events were lost. */
    OVERFLOW,
    /** The file system of the directory was unmounted. */
    UNMOUNTED,
    /** An event named a directory handle that no watched directory has. */
    UNKNOWN_DIRECTORY,
    /** The directory's own attributes changed. */
    DIRECTORY_ATTRIBUTE,
    /** An entry of the directory changed, appeared or went away. */
    ENTRY
  }

  private static final byte[] NO_NAME = new byte[0];

  static Notice overflow() {
    return new Notice(Kind.OVERFLOW, FsPath.ROOT, NO_NAME, false, false);
  }

  static Notice unmounted(FsPath directory) {
    return new Notice(Kind.UNMOUNTED, directory, NO_NAME, false, false);
  }

  static Notice unknownDirectory() {
    return new Notice(Kind.UNKNOWN_DIRECTORY, FsPath.ROOT, NO_NAME, false, false);
  }

  static Notice directoryAttribute(FsPath directory) {
    return new Notice(Kind.DIRECTORY_ATTRIBUTE, directory, NO_NAME, false, false);
  }

  static Notice entry(FsPath directory, byte[] name, boolean structural, boolean isDirectory) {
    return new Notice(Kind.ENTRY, directory, name, structural, isDirectory);
  }
}
