package dev.telltale.watch;

import dev.telltale.posix.Errno;
import dev.telltale.posix.Fanotify;
import dev.telltale.posix.PosixException;
import dev.telltale.scan.FsPath;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * fanotify marks for the realtime area: one mark per file system ({@code FAN_MARK_FILESYSTEM}) when
 * the process has CAP_SYS_ADMIN, else one mark per directory.
 *
 * <p>Each event names its directory by file handle. The handle of every directory the walk reaches
 * is recorded with its path, and events are resolved through that map, never by opening the handle.
 * A file system mark sees the whole file system, so events whose directory is not in the map are
 * outside the area and left out. With directory marks such an event means the map lost track of a
 * marked directory, which is reported as a gap.
 */
final class FanotifyWatches extends DirectoryWatches<Fanotify.FileId> {
  private static final long STRUCTURAL =
      Fanotify.FAN_CREATE | Fanotify.FAN_DELETE | Fanotify.FAN_MOVED_FROM | Fanotify.FAN_MOVED_TO;
  private static final byte[] DOT = {'.'};

  private final Fanotify fanotify;
  private final boolean filesystemMarks;
  private final Set<Long> markedFilesystems = new HashSet<>();

  /**
   * Directories dropped from the area whose directory marks stay: fanotify removes a directory mark
   * only through a descriptor of the directory, which is no longer at hand.
   */
  // NOTE: with directory marks, a directory moved out of the area stays marked until the watch
  // stops or the directory is deleted; its events are recognized here and left out.
  private final Set<Fanotify.FileId> retired = new HashSet<>();

  /**
   * Creates the marks on an open group.
   *
   * @param filesystemMarks true to mark whole file systems, false to mark each directory
   */
  FanotifyWatches(
      Fanotify fanotify, Path rootDirectory, RealtimeArea area, boolean filesystemMarks) {
    super(rootDirectory, area);
    this.fanotify = fanotify;
    this.filesystemMarks = filesystemMarks;
  }

  /** Returns {@code filesystem} or {@code directory}: what each mark covers. */
  String marks() {
    return filesystemMarks ? "filesystem" : "directory";
  }

  @Override
  String mechanism() {
    return "fanotify";
  }

  @Override
  String coverage() {
    return filesystemMarks
        ? "one mark per file system, " + markedFilesystems.size() + " marked"
        : "one mark per directory";
  }

  @Override
  String queueSetting() {
    return "fs.fanotify.max_queued_events";
  }

  @Override
  List<Notice> read(int timeoutMillis) throws PosixException {
    return fanotify.read(timeoutMillis).stream()
        .map(this::translate)
        .filter(Objects::nonNull)
        .toList();
  }

  /** Returns the event as a notice, or null for one that concerns no watched path. */
  private Notice translate(Fanotify.Event event) {
    if (event.has(Fanotify.FAN_Q_OVERFLOW)) {
      return Notice.overflow();
    }
    if (event.directory() == null) {
      return null;
    }
    FsPath directory = pathOf(event.directory());
    if (directory == null) {
      if (filesystemMarks || retired.contains(event.directory())) {
        return null;
      }
      return Notice.unknownDirectory();
    }
    byte[] name = event.name();
    // An event on a marked directory itself carries the name "." (or none).
    if (name.length == 0 || Arrays.equals(name, DOT)) {
      return event.has(Fanotify.FAN_ATTRIB) ? Notice.directoryAttribute(directory) : null;
    }
    return Notice.entry(directory, name, event.has(STRUCTURAL), event.has(Fanotify.FAN_ONDIR));
  }

  @Override
  void wakeUp() {
    fanotify.wakeUp();
  }

  @Override
  Fanotify.FileId watch(int fd, FsPath directory, List<Gap> gaps) {
    Fanotify.FileId id;
    try {
      id = Fanotify.fileIdOf(fd);
      if (!filesystemMarks) {
        fanotify.markDirectory(fd);
      } else if (markedFilesystems.add(id.fsid())) {
        try {
          fanotify.markFilesystem(fd);
        } catch (PosixException e) {
          markedFilesystems.remove(id.fsid());
          throw e;
        }
      }
    } catch (PosixException e) {
      if (e.errno() == Errno.ENOSPC) {
        gaps.add(
            new Gap(
                directory,
                Gap.WATCH_LIMIT,
                "fanotify mark limit reached ("
                    + e.shortMessage()
                    + "): raise fs.fanotify.max_user_marks"));
      } else {
        gaps.add(new Gap(directory, Gap.WATCH_FAILED, "cannot mark: " + e.shortMessage()));
      }
      return null;
    }
    retired.remove(id);
    return id;
  }

  @Override
  void unwatch(Fanotify.FileId key) {
    if (!filesystemMarks) {
      retired.add(key);
    }
  }

  /** Closes the fanotify group, which removes every mark. */
  @Override
  public void close() {
    fanotify.close();
  }
}
