package dev.telltale.compare;

import dev.telltale.TelltaleException;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.FsPath;

/**
 * A streaming merge of two entry streams that share the canonical order. Memory stays constant:
 * only the next entry of each stream is held.
 */
public final class Merge {
  private final EntryStream baseline;
  private final EntryStream live;
  private Entry nextBaseline;
  private Entry nextLive;
  private boolean started;

  /**
   * One path and its entry on each side.
   *
   * @param path the path
   * @param baseline the baseline's entry, or null when the path is new
   * @param live the live entry, or null when the path is gone
   */
  public record Pair(FsPath path, Entry baseline, Entry live) {}

  public Merge(EntryStream baseline, EntryStream live) {
    this.baseline = baseline;
    this.live = live;
  }

  /** Returns the next path present on either side, or null when both streams are exhausted. */
  public Pair next() throws TelltaleException {
    if (!started) {
      nextBaseline = baseline.next();
      nextLive = live.next();
      started = true;
    }
    if (nextBaseline == null && nextLive == null) {
      return null;
    }
    int order;
    if (nextBaseline == null) {
      order = 1;
    } else if (nextLive == null) {
      order = -1;
    } else {
      order = nextBaseline.path().compareTo(nextLive.path());
    }
    Pair pair;
    if (order < 0) {
      pair = new Pair(nextBaseline.path(), nextBaseline, null);
      nextBaseline = baseline.next();
    } else if (order > 0) {
      pair = new Pair(nextLive.path(), null, nextLive);
      nextLive = live.next();
    } else {
      pair = new Pair(nextLive.path(), nextBaseline, nextLive);
      nextBaseline = baseline.next();
      nextLive = live.next();
    }
    return pair;
  }
}
