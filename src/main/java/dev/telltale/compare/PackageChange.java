package dev.telltale.compare;

import dev.telltale.baseline.BaselineHeader.PackageRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A difference between the package set that the baseline recorded and the one installed now.
 * Packages are keyed by the SHA-256 of their header, so a header that was replaced while its name
 * and version stayed is a change too.
 *
 * @param kind added, removed, or replaced
 * @param nevra the package as the baseline records it, such as {@code bash-5.2.26-3.fc41.x86_64}
 * @param beforeSha256 the recorded header digest; null for an added package
 * @param afterSha256 the installed header digest; null for a removed package
 */
public record PackageChange(Kind kind, String nevra, String beforeSha256, String afterSha256) {

  /** Kinds of package change, each with the exit bit of the file change it resembles. */
  public enum Kind {
    /** A header installed now that the baseline did not record. */
    ADDED,
    /** A recorded header that is no longer installed. */
    REMOVED,
    /** A header with the same name and version as a recorded one but another digest. */
    REPLACED;

    /** Returns the name used in JSON reports: {@code added}, {@code removed}, {@code replaced}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public PackageChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nevra, "nevra");
  }

  /**
   * Returns the changes from {@code before} to {@code after}, sorted by package and kind. Records
   * with the same digest on both sides are unchanged; a leftover record on each side with the same
   * nevra is a replacement; other leftovers are removals and additions.
   */
  public static List<PackageChange> between(List<PackageRecord> before, List<PackageRecord> after) {
    Set<String> beforeDigests = new HashSet<>();
    for (PackageRecord record : before) {
      beforeDigests.add(record.headerSha256());
    }
    Set<String> afterDigests = new HashSet<>();
    for (PackageRecord record : after) {
      afterDigests.add(record.headerSha256());
    }
    List<PackageRecord> gone = new ArrayList<>();
    for (PackageRecord record : before) {
      if (!afterDigests.contains(record.headerSha256())) {
        gone.add(record);
      }
    }
    List<PackageChange> changes = new ArrayList<>();
    for (PackageRecord record : after) {
      if (beforeDigests.contains(record.headerSha256())) {
        continue;
      }
      PackageRecord previous = takeSameNevra(gone, record.nevra());
      if (previous == null) {
        changes.add(new PackageChange(Kind.ADDED, record.nevra(), null, record.headerSha256()));
      } else {
        changes.add(
            new PackageChange(
                Kind.REPLACED, record.nevra(), previous.headerSha256(), record.headerSha256()));
      }
    }
    for (PackageRecord record : gone) {
      changes.add(new PackageChange(Kind.REMOVED, record.nevra(), record.headerSha256(), null));
    }
    changes.sort(
        Comparator.comparing(PackageChange::nevra)
            .thenComparing(PackageChange::kind)
            .thenComparing(change -> Objects.toString(change.afterSha256(), "")));
    return changes;
  }

  private static PackageRecord takeSameNevra(List<PackageRecord> records, String nevra) {
    for (Iterator<PackageRecord> it = records.iterator(); it.hasNext(); ) {
      PackageRecord record = it.next();
      if (record.nevra().equals(nevra)) {
        it.remove();
        return record;
      }
    }
    return null;
  }

  /**
   * Returns {@code records} with the given changes applied: each removal or replacement drops the
   * old record, each addition or replacement adds the new one. The result is sorted by nevra.
   */
  public static List<PackageRecord> apply(
      List<PackageRecord> records, List<PackageChange> changes) {
    List<PackageRecord> result = new ArrayList<>(records);
    for (PackageChange change : changes) {
      if (change.beforeSha256() != null) {
        result.removeIf(record -> record.headerSha256().equals(change.beforeSha256()));
      }
      if (change.afterSha256() != null) {
        result.add(new PackageRecord(change.afterSha256(), change.nevra()));
      }
    }
    result.sort(
        Comparator.comparing(PackageRecord::nevra).thenComparing(PackageRecord::headerSha256));
    return result;
  }
}
