package dev.telltale.watch;

import dev.telltale.posix.Errno;
import dev.telltale.posix.Inotify;
import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import dev.telltale.posix.Statx;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inotify watches on the directories of the realtime area, and which path each one stands for.
 *
 * <p>Directories are reached from the root directory one name at a time without following symbolic
 * links, and each watch is placed on the opened descriptor. A watch is placed before its directory
 * is listed, so a child created during the listing is either listed or reported by an event.
 */
final class DirectoryWatches implements AutoCloseable {
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

  private static final int PASS_THROUGH =
      Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC;
  private static final int LISTABLE =
      Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC;

  private final Inotify inotify;
  private final Path rootDirectory;
  private final RealtimeArea area;
  private final Map<Integer, FsPath> pathsByWatch = new HashMap<>();
  private final TreeMap<FsPath, Integer> watchesByPath = new TreeMap<>();

  DirectoryWatches(Inotify inotify, Path rootDirectory, RealtimeArea area) {
    this.inotify = inotify;
    this.rootDirectory = rootDirectory;
    this.area = area;
  }

  Inotify inotify() {
    return inotify;
  }

  /** Returns the number of directories watched. */
  int count() {
    return pathsByWatch.size();
  }

  /** Returns the path a watch descriptor stands for, or null for one already dropped. */
  FsPath pathOf(int watch) {
    return pathsByWatch.get(watch);
  }

  /** Forgets a watch that the kernel removed (IN_IGNORED). */
  void forget(int watch) {
    FsPath path = pathsByWatch.remove(watch);
    if (path != null) {
      watchesByPath.remove(path, watch);
    }
  }

  /**
   * Watches every directory of the realtime area at or below {@code scope}, and drops the watches
   * below it whose directory is no longer there, such as one moved away.
   *
   * @return the directories that could not be watched or walked
   */
  List<Gap> place(FsPath scope) {
    List<Gap> gaps = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    int rootFd;
    try {
      rootFd = openRoot();
    } catch (PosixException e) {
      gaps.add(
          new Gap(
              scope, Gap.WATCH_FAILED, "cannot open " + rootDirectory + ": " + e.shortMessage()));
      return gaps;
    }
    try {
      Deque<FsPath> pending = new ArrayDeque<>();
      pending.push(scope);
      while (!pending.isEmpty()) {
        FsPath directory = pending.pop();
        RealtimeArea.Place place = area.place(directory);
        if (place == RealtimeArea.Place.OUTSIDE) {
          continue;
        }
        int fd;
        try {
          fd = openDirectory(rootFd, directory);
        } catch (PosixException e) {
          int errno = e.errno();
          if (errno != Errno.ENOENT && errno != Errno.ENOTDIR && errno != Errno.ELOOP) {
            gaps.add(new Gap(directory, Gap.WATCH_FAILED, "cannot open: " + e.shortMessage()));
          }
          continue;
        }
        try {
          watch(fd, directory, seen, gaps);
          if (place == RealtimeArea.Place.INSIDE) {
            pushSubdirectories(fd, directory, pending, gaps);
          } else {
            for (byte[] name : area.namesTowardRoots(directory)) {
              pending.push(directory.child(name));
            }
          }
        } finally {
          Posix.close(fd);
        }
      }
    } finally {
      Posix.close(rootFd);
    }
    dropUnseen(scope, seen);
    return gaps;
  }

  private void watch(int fd, FsPath directory, Set<Integer> seen, List<Gap> gaps) {
    int watch;
    try {
      watch = inotify.addWatch(fd, MASK);
    } catch (PosixException e) {
      String reason = e.errno() == Errno.ENOSPC ? Gap.WATCH_LIMIT : Gap.WATCH_FAILED;
      String detail =
          e.errno() == Errno.ENOSPC
              ? "inotify watch limit reached ("
                  + e.shortMessage()
                  + "): raise fs.inotify.max_user_watches"
              : "cannot watch: " + e.shortMessage();
      gaps.add(new Gap(directory, reason, detail));
      return;
    }
    FsPath previous = pathsByWatch.put(watch, directory);
    if (previous != null && !previous.equals(directory)) {
      watchesByPath.remove(previous, watch);
    }
    Integer replaced = watchesByPath.put(directory, watch);
    if (replaced != null && replaced != watch) {
      pathsByWatch.remove(replaced);
      inotify.removeWatch(replaced);
    }
    seen.add(watch);
  }

  private void pushSubdirectories(int fd, FsPath directory, Deque<FsPath> pending, List<Gap> gaps) {
    List<byte[]> names;
    Statx parent;
    try {
      parent = Posix.fstat(fd);
      names = Posix.readDirectory(fd);
    } catch (PosixException e) {
      gaps.add(new Gap(directory, Gap.WATCH_FAILED, "cannot list: " + e.shortMessage()));
      return;
    }
    for (byte[] name : names) {
      Statx child;
      try {
        child = Posix.lstatAt(fd, name);
      } catch (PosixException e) {
        continue; // removed since the listing; its event is queued
      }
      if (EntryType.fromMode(child.mode()) != EntryType.DIRECTORY) {
        continue;
      }
      FsPath path = directory.child(name);
      if (child.sameDevice(parent) || area.policy().mayCrossInto(path)) {
        pending.push(path);
      }
    }
  }

  /** Removes the watches at or below {@code scope} that the last walk did not reach. */
  private void dropUnseen(FsPath scope, Set<Integer> seen) {
    List<Integer> stale = new ArrayList<>();
    for (Map.Entry<FsPath, Integer> entry : watchesByPath.tailMap(scope, true).entrySet()) {
      if (!entry.getKey().startsWith(scope)) {
        break;
      }
      if (!seen.contains(entry.getValue())) {
        stale.add(entry.getValue());
      }
    }
    for (int watch : stale) {
      forget(watch);
      inotify.removeWatch(watch);
    }
  }

  private int openRoot() throws PosixException {
    byte[] root = rootDirectory.toString().getBytes(StandardCharsets.UTF_8);
    // The root itself may be reached through symbolic links: the user named it.
    return Posix.openat(Posix.AT_FDCWD, root, LISTABLE & ~Posix.O_NOFOLLOW, 0);
  }

  /** Opens a directory for listing, one name at a time from the root, following no link. */
  private static int openDirectory(int rootFd, FsPath directory) throws PosixException {
    List<byte[]> names = directory.components();
    if (names.isEmpty()) {
      return Posix.openat(rootFd, new byte[] {'.'}, LISTABLE, 0);
    }
    int fd = rootFd;
    try {
      for (int i = 0; i < names.size(); i++) {
        int flags = i == names.size() - 1 ? LISTABLE : PASS_THROUGH;
        int next = Posix.openat(fd, names.get(i), flags, 0);
        if (fd != rootFd) {
          Posix.close(fd);
        }
        fd = next;
      }
      return fd;
    } catch (PosixException e) {
      if (fd != rootFd) {
        Posix.close(fd);
      }
      throw e;
    }
  }

  /** Closes the inotify instance, which removes every watch. */
  @Override
  public void close() {
    inotify.close();
  }
}
