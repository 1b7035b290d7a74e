package dev.telltale.watch;

import dev.telltale.posix.Errno;
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
 * The watches (inotify) or marks (fanotify) on the directories of the realtime area, and which path
 * each watched directory is. {@code K} is what events name a directory by: a watch descriptor or a
 * file handle.
 *
 * <p>Directories are reached from the root directory one name at a time without following symbolic
 * links, and each watch is placed on the opened descriptor. A watch is placed before its directory
 * is listed, so a child created during the listing is either listed or reported by an event.
 */
abstract sealed class DirectoryWatches<K> implements AutoCloseable
    permits InotifyWatches, FanotifyWatches {
  private static final int PASS_THROUGH =
      Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC;
  private static final int LISTABLE =
      Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC;

  private final Path rootDirectory;
  private final RealtimeArea area;
  private final Map<K, FsPath> pathsByKey = new HashMap<>();
  private final TreeMap<FsPath, K> keysByPath = new TreeMap<>();

  DirectoryWatches(Path rootDirectory, RealtimeArea area) {
    this.rootDirectory = rootDirectory;
    this.area = area;
  }

  /** Returns the mechanism's name as the start record gives it: inotify or fanotify. */
  abstract String mechanism();

  /** Returns what the mechanism covers, in words for the start line. */
  abstract String coverage();

  /** Returns the kernel setting that sizes the event queue, for the overflow message. */
  abstract String queueSetting();

  /**
   * Waits up to {@code timeoutMillis} (negative: without limit) for events and returns them
   * translated to paths; events outside the watched directories are left out.
   */
  abstract List<Notice> read(int timeoutMillis) throws PosixException;

  /** Makes a {@link #read} that is waiting, or the next one, return at once. */
  abstract void wakeUp();

  /**
   * Watches the directory open as {@code fd} (listable, not O_PATH) and returns its key, or adds a
   * gap and returns null.
   */
  abstract K watch(int fd, FsPath directory, List<Gap> gaps);

  /** Stops watching a directory that is no longer part of the area. */
  abstract void unwatch(K key);

  /** Returns the number of directories watched. */
  int count() {
    return pathsByKey.size();
  }

  /** Returns the path of a watched directory, or null for a key not (or no longer) watched. */
  FsPath pathOf(K key) {
    return pathsByKey.get(key);
  }

  /** Forgets a directory whose watch is gone. */
  void forget(K key) {
    FsPath path = pathsByKey.remove(key);
    if (path != null) {
      keysByPath.remove(path, key);
    }
  }

  /** Opens the root directory for listing; it may be reached through symbolic links. */
  int openRoot() throws PosixException {
    byte[] root = rootDirectory.toString().getBytes(StandardCharsets.UTF_8);
    // The root itself may be reached through symbolic links: the user named it.
    return Posix.openat(Posix.AT_FDCWD, root, LISTABLE & ~Posix.O_NOFOLLOW, 0);
  }

  /**
   * Watches every directory of the realtime area at or below {@code scope}, and drops the watches
   * below it whose directory is no longer there, such as one moved away.
   *
   * @return the directories that could not be watched or walked
   */
  List<Gap> place(FsPath scope) {
    List<Gap> gaps = new ArrayList<>();
    Set<K> seen = new HashSet<>();
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
          record(fd, directory, seen, gaps);
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

  private void record(int fd, FsPath directory, Set<K> seen, List<Gap> gaps) {
    K key = watch(fd, directory, gaps);
    if (key == null) {
      return;
    }
    FsPath previous = pathsByKey.put(key, directory);
    if (previous != null && !previous.equals(directory)) {
      keysByPath.remove(previous, key);
    }
    K replaced = keysByPath.put(directory, key);
    if (replaced != null && !replaced.equals(key)) {
      pathsByKey.remove(replaced);
      unwatch(replaced);
    }
    seen.add(key);
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
  private void dropUnseen(FsPath scope, Set<K> seen) {
    List<K> stale = new ArrayList<>();
    for (Map.Entry<FsPath, K> entry : keysByPath.tailMap(scope, true).entrySet()) {
      if (!entry.getKey().startsWith(scope)) {
        break;
      }
      if (!seen.contains(entry.getValue())) {
        stale.add(entry.getValue());
      }
    }
    for (K key : stale) {
      forget(key);
      unwatch(key);
    }
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

  /** Closes the notification descriptor, which removes every watch. */
  @Override
  public abstract void close();
}
