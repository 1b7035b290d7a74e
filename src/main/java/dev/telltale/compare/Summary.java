package dev.telltale.compare;

import dev.telltale.ExitCode;

/**
 * Counts of a check.
 *
 * @param compared entries seen in the baseline or the live system
 * @param added entries live but not in the baseline
 * @param removed entries in the baseline but no longer live
 * @param changed entries whose compared attributes differ
 * @param unreadable entries that could not be verified
 * @param explained added or changed entries that a verified package header explains; they are also
 *     counted in {@code added} or {@code changed}
 * @param packagesAdded package headers installed now that the baseline did not record
 * @param packagesRemoved recorded package headers that are no longer installed
 * @param packagesReplaced recorded package headers replaced by another with the same nevra
 */
public record Summary(
    long compared,
    long added,
    long removed,
    long changed,
    long unreadable,
    long explained,
    long packagesAdded,
    long packagesRemoved,
    long packagesReplaced) {

  /** Counts of a comparison of entries alone, without package metadata. */
  public Summary(long compared, long added, long removed, long changed, long unreadable) {
    this(compared, added, removed, changed, unreadable, 0, 0, 0, 0);
  }

  /** Returns these counts with the number of explained changes set. */
  public Summary withExplained(long count) {
    return new Summary(
        compared,
        added,
        removed,
        changed,
        unreadable,
        count,
        packagesAdded,
        packagesRemoved,
        packagesReplaced);
  }

  /** Returns these counts with the package set changes counted. */
  public Summary withPackageChanges(Iterable<PackageChange> changes) {
    long packageAdditions = 0;
    long packageRemovals = 0;
    long packageReplacements = 0;
    for (PackageChange change : changes) {
      switch (change.kind()) {
        case ADDED -> packageAdditions++;
        case REMOVED -> packageRemovals++;
        case REPLACED -> packageReplacements++;
      }
    }
    return new Summary(
        compared,
        added,
        removed,
        changed,
        unreadable,
        explained,
        packageAdditions,
        packageRemovals,
        packageReplacements);
  }

  /**
   * Returns the exit code of a check with these counts: the OR of the finding bits. An added,
   * removed or replaced package header sets the bit of an added, removed or changed entry.
   * Explained changes set their bits too, because the baseline is out of date all the same.
   */
  public int exitCode() {
    int code = 0;
    if (added > 0 || packagesAdded > 0) {
      code |= ExitCode.ADDED.code();
    }
    if (removed > 0 || packagesRemoved > 0) {
      code |= ExitCode.REMOVED.code();
    }
    if (changed > 0 || packagesReplaced > 0) {
      code |= ExitCode.CHANGED.code();
    }
    if (unreadable > 0) {
      code |= ExitCode.INCOMPLETE.code();
    }
    return code;
  }

  /** Returns the number of file changes of any kind that no package header explains. */
  public long unexplained() {
    return added + removed + changed + unreadable - explained;
  }

  public boolean isClean() {
    return exitCode() == 0;
  }
}
