package dev.telltale.watch;

import dev.telltale.OutputException;
import dev.telltale.posix.Fanotify;
import dev.telltale.posix.Inotify;
import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import java.nio.file.Path;

/** The kernel interface that reports changes to the watch, as {@code --mechanism} selects it. */
public enum Mechanism {
  /**
   * fanotify with one mark per file system when the kernel (5.9 or later) and the privileges
   * (CAP_SYS_ADMIN) allow it, inotify otherwise.
   */
  AUTO,
  /** fanotify, with per-directory marks when file system marks are not permitted. */
  FANOTIFY,
  /** inotify, one watch per directory. */
  INOTIFY;

  /**
   * Opens the watches of this mechanism, before any directory is watched.
   *
   * @param allowFilesystemMarks false to use per-directory fanotify marks even where file system
   *     marks are permitted (for tests)
   * @throws OutputException if the requested mechanism, or inotify after a fallback, cannot start
   */
  DirectoryWatches<?> open(Path rootDirectory, RealtimeArea area, boolean allowFilesystemMarks)
      throws OutputException {
    if (this == INOTIFY) {
      return openInotify(rootDirectory, area, null);
    }
    Fanotify fanotify;
    try {
      fanotify = Fanotify.open();
    } catch (PosixException e) {
      if (this == FANOTIFY) {
        throw new OutputException(
            "cannot start fanotify: "
                + e.shortMessage()
                + "; it needs Linux 5.9 or later, or use --mechanism inotify");
      }
      return openInotify(rootDirectory, area, e.errnoName());
    }
    try {
      String refusal = allowFilesystemMarks ? probeFilesystemMark(fanotify, rootDirectory) : "off";
      if (refusal == null) {
        return new FanotifyWatches(fanotify, rootDirectory, area, true);
      }
      if (this == FANOTIFY) {
        return new FanotifyWatches(fanotify, rootDirectory, area, false);
      }
      // Without file system marks fanotify marks each directory as inotify does, so it offers
      // nothing over inotify, which any user may run.
      fanotify.close();
      return openInotify(rootDirectory, area, refusal);
    } catch (RuntimeException e) {
      fanotify.close();
      throw e;
    }
  }

  /**
   * Marks the file system of the root directory and records its handle, and returns null, or the
   * errno name of the call that failed, such as {@code EPERM}.
   */
  private static String probeFilesystemMark(Fanotify fanotify, Path rootDirectory) {
    int fd;
    try {
      fd =
          Posix.openat(
              Posix.AT_FDCWD,
              rootDirectory.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
              Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC,
              0);
    } catch (PosixException e) {
      return e.errnoName();
    }
    try {
      fanotify.markFilesystem(fd);
      Fanotify.fileIdOf(fd);
      return null;
    } catch (PosixException e) {
      return e.errnoName();
    } finally {
      Posix.close(fd);
    }
  }

  private static InotifyWatches openInotify(
      Path rootDirectory, RealtimeArea area, String fanotifyUnavailable) throws OutputException {
    try {
      return new InotifyWatches(Inotify.open(), rootDirectory, area, fanotifyUnavailable);
    } catch (PosixException e) {
      throw new OutputException(
          "cannot start inotify: "
              + e.shortMessage()
              + "; raise fs.inotify.max_user_instances or stop other watchers");
    }
  }
}
