package dev.telltale.compare;

import dev.telltale.ExitCode;

/**
 * Counts of a comparison.
 *
 * @param compared entries seen in the baseline or the live system
 * @param added entries live but not in the baseline
 * @param removed entries in the baseline but no longer live
 * @param changed entries whose compared attributes differ
 * @param unreadable entries that could not be verified
 */
public record Summary(long compared, long added, long removed, long changed, long unreadable) {

  /** Returns the exit code of a check with these counts: the OR of the finding bits. */
  public int exitCode() {
    int code = 0;
    if (added > 0) {
      code |= ExitCode.ADDED.code();
    }
    if (removed > 0) {
      code |= ExitCode.REMOVED.code();
    }
    if (changed > 0) {
      code |= ExitCode.CHANGED.code();
    }
    if (unreadable > 0) {
      code |= ExitCode.INCOMPLETE.code();
    }
    return code;
  }

  public boolean isClean() {
    return exitCode() == 0;
  }
}
