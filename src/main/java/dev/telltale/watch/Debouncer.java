package dev.telltale.watch;

import dev.telltale.scan.FsPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Coalesces the events of a burst per path. A path is due once no event has touched it for the
 * quiet time, or once the maximum delay has passed since its first event, so that a file written
 * without pause is still examined in time.
 */
final class Debouncer {
  /** A path that is due, and whether its whole subtree is to be compared. */
  record Due(FsPath path, boolean subtree) {}

  private static final class Pending {
    final long firstNanos;
    long lastNanos;
    boolean subtree;

    Pending(long nowNanos, boolean subtree) {
      this.firstNanos = nowNanos;
      this.lastNanos = nowNanos;
      this.subtree = subtree;
    }
  }

  private final long quietNanos;
  private final long maxDelayNanos;
  private final TreeMap<FsPath, Pending> pending = new TreeMap<>();

  Debouncer(long quietNanos, long maxDelayNanos) {
    this.quietNanos = quietNanos;
    this.maxDelayNanos = maxDelayNanos;
  }

  /** Records an event on a path; {@code subtree} asks for the subtree below it too. */
  void touch(FsPath path, boolean subtree, long nowNanos) {
    Pending entry = pending.get(path);
    if (entry == null) {
      pending.put(path, new Pending(nowNanos, subtree));
      return;
    }
    entry.lastNanos = nowNanos;
    entry.subtree |= subtree;
  }

  /** Returns the milliseconds until the next path is due, or -1 when none is pending. */
  int millisUntilDue(long nowNanos) {
    long next = Long.MAX_VALUE;
    for (Pending entry : pending.values()) {
      next = Math.min(next, dueAt(entry));
    }
    if (next == Long.MAX_VALUE) {
      return -1;
    }
    long millis = Math.max(0, (next - nowNanos + 999_999) / 1_000_000);
    return (int) Math.min(millis, Integer.MAX_VALUE);
  }

  /**
   * Removes and returns the paths that are due, in canonical order. A due subtree also takes the
   * pending paths below it, which its comparison covers.
   */
  List<Due> takeDue(long nowNanos) {
    List<Due> due = new ArrayList<>();
    FsPath subtree = null;
    Iterator<Map.Entry<FsPath, Pending>> entries = pending.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<FsPath, Pending> entry = entries.next();
      FsPath path = entry.getKey();
      if (subtree != null && path.startsWith(subtree)) {
        entries.remove();
        continue;
      }
      if (dueAt(entry.getValue()) - nowNanos > 0) {
        continue;
      }
      entries.remove();
      due.add(new Due(path, entry.getValue().subtree));
      subtree = entry.getValue().subtree ? path : null;
    }
    return due;
  }

  /** Forgets every pending path, for a rescan that covers them all. */
  void clear() {
    pending.clear();
  }

  private long dueAt(Pending entry) {
    return Math.min(entry.lastNanos + quietNanos, entry.firstNanos + maxDelayNanos);
  }
}
