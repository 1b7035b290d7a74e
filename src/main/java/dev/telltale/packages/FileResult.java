package dev.telltale.packages;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of verifying one packaged file.
 *
 * @param file the package's metadata for the file
 * @param marker rpm's attribute marker: c (config), d (doc), g (ghost), l (license), r (readme), m
 *     (missingok) or a space
 * @param status whether the file matched, differed, was missing or could not be read
 * @param differing the attributes that differ
 * @param unreadable the attributes that could not be read ('?' in the letter string)
 * @param actual the values found on disk for each differing attribute, in the form of {@link
 *     PackageFile}
 * @param notes why rpm would treat this file differently, or why it is not counted
 */
public record FileResult(
    PackageFile file,
    char marker,
    Status status,
    Set<VerifyAttribute> differing,
    Set<VerifyAttribute> unreadable,
    Map<VerifyAttribute, String> actual,
    List<String> notes) {

  /** Overall state of one file. */
  public enum Status {
    OK,
    CHANGED,
    MISSING,
    UNREADABLE
  }

  public FileResult {
    differing =
        differing.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(differing));
    unreadable =
        unreadable.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(unreadable));
    actual = actual.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(actual));
    notes = List.copyOf(notes);
  }

  /** Returns the nine-letter string of {@code rpm -V}, such as {@code S.5....T.}. */
  public String letters() {
    StringBuilder letters = new StringBuilder(9);
    for (VerifyAttribute attribute : VerifyAttribute.values()) {
      if (unreadable.contains(attribute)) {
        letters.append('?');
      } else if (differing.contains(attribute)) {
        letters.append(attribute.letter());
      } else {
        letters.append('.');
      }
    }
    return letters.toString();
  }

  /**
   * Returns true when the file counts as a finding: changed, missing (unless allowed) or
   * unreadable.
   */
  public boolean isFinding() {
    return switch (status) {
      case OK -> false;
      case CHANGED, UNREADABLE -> true;
      case MISSING -> !missingAllowed();
    };
  }

  /** Returns true for ghost and missingok files, which rpm lets be absent. */
  public boolean missingAllowed() {
    return file.flags().contains("ghost") || file.flags().contains("missingok");
  }
}
