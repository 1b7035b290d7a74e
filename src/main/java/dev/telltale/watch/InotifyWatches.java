package dev.telltale.watch;

import dev.telltale.posix.Errno;
import dev.telltale.posix.Inotify;
import dev.telltale.posix.PosixException;
import dev.telltale.scan.FsPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** One inotify watch on each directory of the realtime area. */
final class InotifyWatches extends DirectoryWatches<Integer> {
  static final int MASK =
      Inotify.IN_MODIFY
          | Inotify.IN_CLOSE_WRITE
          | Inotify.IN_ATTRIB
          | Inotify.IN_CREATE
          | Inotify.IN_DELETE
          | Inotify.IN_MOVED_FROM
          | Inotify.IN_MOVED_TO
          | Inotify.IN_DELETE_SELF
          | Inotify.IN_MOVE_SELF
          | Inotify.IN_EXCL_UNLINK;

  private static final int STRUCTURAL =
      Inotify.IN_CREATE | Inotify.IN_DELETE | Inotify.IN_MOVED_FROM | Inotify.IN_MOVED_TO;

  private final Inotify inotify;
  private final String fanotifyUnavailable;

  /**
   * Creates the watches on an open instance.
   *
   * @param fanotifyUnavailable why fanotify is not used, such as {@code EPERM}, or null when
   *     inotify was requested
   */
  InotifyWatches(
      Inotify inotify, Path rootDirectory, RealtimeArea area, String fanotifyUnavailable) {
    super(rootDirectory, area);
    this.inotify = inotify;
    this.fanotifyUnavailable = fanotifyUnavailable;
  }

  /** Returns why fanotify is not used, or null when inotify was requested. */
  String fanotifyUnavailable() {
    return fanotifyUnavailable;
  }

  @Override
  String mechanism() {
    return "inotify";
  }

  @Override
  String coverage() {
    return "one watch per directory"
        + (fanotifyUnavailable == null ? "" : "; fanotify unavailable: " + fanotifyUnavailable);
  }

  @Override
  String queueSetting() {
    return "fs.inotify.max_queued_events";
  }

  @Override
  List<Notice> read(int timeoutMillis) throws PosixException {
    return inotify.read(timeoutMillis).stream()
        .map(this::translate)
        .filter(Objects::nonNull)
        .toList();
  }

  /** Returns the event as a notice, or null for one that concerns no watched path. */
  private Notice translate(Inotify.Event event) {
    if (event.has(Inotify.IN_Q_OVERFLOW)) {
      return Notice.overflow();
    }
    if (event.has(Inotify.IN_IGNORED)) {
      forget(event.watch());
      return null;
    }
    FsPath directory = pathOf(event.watch());
    if (directory == null) {
      return null;
    }
    if (event.has(Inotify.IN_UNMOUNT)) {
      return Notice.unmounted(directory);
    }
    if (event.name().length == 0) {
      return event.has(Inotify.IN_ATTRIB) ? Notice.directoryAttribute(directory) : null;
    }
    return Notice.entry(
        directory, event.name(), event.has(STRUCTURAL), event.has(Inotify.IN_ISDIR));
  }

  @Override
  void wakeUp() {
    inotify.wakeUp();
  }

  @Override
  Integer watch(int fd, FsPath directory, List<Gap> gaps) {
    try {
      return inotify.addWatch(fd, MASK);
    } catch (PosixException e) {
      if (e.errno() == Errno.ENOSPC) {
        gaps.add(
            new Gap(
                directory,
                Gap.WATCH_LIMIT,
                "inotify watch limit reached ("
                    + e.shortMessage()
                    + "): raise fs.inotify.max_user_watches"));
      } else {
        gaps.add(new Gap(directory, Gap.WATCH_FAILED, "cannot watch: " + e.shortMessage()));
      }
      return null;
    }
  }

  @Override
  void unwatch(Integer key) {
    inotify.removeWatch(key);
  }

  /** Closes the inotify instance, which removes every watch. */
  @Override
  public void close() {
    inotify.close();
  }
}
