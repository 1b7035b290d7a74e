package dev.telltale.compare;

import dev.telltale.TelltaleException;
import dev.telltale.policy.Rule;
import dev.telltale.policy.Severity;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares a baseline with a scan of the live system, entry by entry, under the current policy's
 * rules.
 *
 * <p>A baseline entry whose live counterpart is missing because its directory could not be read is
 * reported as unreadable, not as removed: the check could not see it, so it must not claim that it
 * is gone.
 */
public final class Comparison {
  private static final Set<Attribute> GROWTH_ATTRIBUTES =
      EnumSet.of(
          Attribute.SIZE, Attribute.SHA256, Attribute.SHA512, Attribute.MTIME, Attribute.CTIME);

  /** The decisive rule for a path, usually the policy. */
  @FunctionalInterface
  public interface RuleSource {
    /** Returns the decisive rule for a path, possibly an exclusion, or null when none covers it. */
    Rule ruleFor(FsPath path);
  }

  /** Computes a digest of the first bytes of a live file, for rules marked growing. */
  @FunctionalInterface
  public interface PrefixDigester {
    String prefixDigest(FsPath path, Attribute digest, long lengthBytes) throws TelltaleException;
  }

  /** Receives each change as the merge finds it, in canonical order. */
  @FunctionalInterface
  public interface ChangeListener {
    void change(Change change) throws TelltaleException;
  }

  private final RuleSource rules;
  private final PrefixDigester digester;
  private FsPath unreadableDirectory;

  public Comparison(RuleSource rules, PrefixDigester digester) {
    this.rules = rules;
    this.digester = digester;
  }

  /** Merges both streams, passes each change to the listener, and returns the counts. */
  public Summary run(EntryStream baseline, EntryStream live, ChangeListener listener)
      throws TelltaleException {
    Merge merge = new Merge(baseline, live);
    long compared = 0;
    long added = 0;
    long removed = 0;
    long changed = 0;
    long unreadable = 0;
    for (Merge.Pair pair = merge.next(); pair != null; pair = merge.next()) {
      compared++;
      Change change = compare(pair);
      if (change == null) {
        continue;
      }
      switch (change) {
        case Change.Added a -> added++;
        case Change.Removed r -> removed++;
        case Change.Changed c -> changed++;
        case Change.Unreadable u -> unreadable++;
      }
      listener.change(change);
    }
    return new Summary(compared, added, removed, changed, unreadable);
  }

  /**
   * Returns the change for one merged pair, or null when the entries agree or the path is no longer
   * covered by the policy.
   */
  public Change compare(Merge.Pair pair) throws TelltaleException {
    if (unreadableDirectory != null && !pair.path().startsWith(unreadableDirectory)) {
      unreadableDirectory = null;
    }
    Rule rule = rules.ruleFor(pair.path());
    if (rule == null || rule.isExclusion()) {
      // A directory walked only to reach rules below it is not recorded, but when it cannot be
      // opened the scanner reports it: the paths below it were not checked.
      Entry walked = pair.live();
      if (walked != null && walked.hasError()) {
        return new Change.Unreadable(null, walked, walked.error(), walkRule(walked));
      }
      // A baseline entry that the current policy does not cover was not compared. Saying nothing
      // would let a narrowed policy hide a change, so it is reported until update accepts it.
      Entry recorded = pair.baseline();
      if (recorded != null && !recorded.hasError()) {
        String reason =
            "not compared: the current policy does not cover this path, but the baseline's"
                + " policy did; run 'telltale update' to accept the new policy";
        return new Change.Unreadable(recorded, recorded, reason, uncoveredRule(recorded));
      }
      return null;
    }
    Entry before = pair.baseline();
    Entry after = pair.live();
    if (after != null && after.hasError() && after.type() == EntryType.DIRECTORY) {
      unreadableDirectory = after.path();
    }
    if (after == null) {
      if (unreadableDirectory != null) {
        String reason = "not verified: directory " + unreadableDirectory + " could not be read";
        return new Change.Unreadable(before, before.withError(reason), reason, rule);
      }
      return new Change.Removed(before, rule);
    }
    if (after.hasError()) {
      return new Change.Unreadable(before, after, after.error(), rule);
    }
    if (before == null) {
      return new Change.Added(after, rule);
    }
    return compareEntries(before, after, rule);
  }

  private static Rule uncoveredRule(Entry recorded) {
    return new Rule(
        Rule.Kind.ENTRY,
        recorded.path().toString(),
        Set.of(),
        Severity.HIGH,
        false,
        false,
        false,
        "no rule of the current policy covers it");
  }

  private static Rule walkRule(Entry walked) {
    return new Rule(
        Rule.Kind.ENTRY,
        walked.path().toString(),
        Set.of(),
        Severity.HIGH,
        false,
        false,
        false,
        "walked to reach the rules below it");
  }

  private Change compareEntries(Entry before, Entry after, Rule rule) throws TelltaleException {
    Set<Attribute> selected = EnumSet.of(Attribute.TYPE);
    selected.addAll(rule.attributes());
    List<AttributeChange> differences = new ArrayList<>();
    List<Attribute> notRecorded = new ArrayList<>();
    boolean sameType = before.type() == after.type();
    for (Attribute attribute : selected) {
      String old = before.value(attribute);
      String now = after.value(attribute);
      if (old == null ? now == null : old.equals(now)) {
        continue;
      }
      if (old == null && sameType) {
        notRecorded.add(attribute);
      } else {
        differences.add(new AttributeChange(attribute, old, now));
      }
    }
    if (rule.growing() && sameType && after.type() == EntryType.FILE) {
      differences = acceptGrowth(before, after, differences);
    }
    if (!differences.isEmpty()) {
      return new Change.Changed(before, after, differences, rule);
    }
    List<String> dropped = new ArrayList<>();
    for (Attribute attribute : before.values().keySet()) {
      if (!selected.contains(attribute)) {
        dropped.add(attribute.policyName());
      }
    }
    if (!dropped.isEmpty()) {
      String reason =
          "not compared: "
              + String.join(", ", dropped)
              + " recorded in the baseline but no longer compared by the current policy;"
              + " run 'telltale update' to accept the new policy";
      return new Change.Unreadable(before, after, reason, rule);
    }
    if (!notRecorded.isEmpty()) {
      String names =
          notRecorded.stream().map(Attribute::policyName).collect(Collectors.joining(", "));
      String reason =
          "not verified: "
              + names
              + " not recorded in the baseline (the policy changed since it was made);"
              + " review and run 'telltale update' to record them";
      return new Change.Unreadable(before, after, reason, rule);
    }
    return null;
  }

  /**
   * Drops the differences that a file explains by growing: the new size is not smaller and the
   * first old-size bytes still have the recorded digests. A shrunk file is always a change, even
   * when the rule does not compare size, because truncating a log is how traces are erased.
   */
  private List<AttributeChange> acceptGrowth(
      Entry before, Entry after, List<AttributeChange> differences) throws TelltaleException {
    String oldSizeText = before.value(Attribute.SIZE);
    String newSizeText = after.value(Attribute.SIZE);
    if (oldSizeText == null || newSizeText == null) {
      return differences;
    }
    long oldSize = Long.parseLong(oldSizeText);
    long newSize = Long.parseLong(newSizeText);
    if (newSize < oldSize) {
      List<AttributeChange> withShrink = new ArrayList<>(differences);
      if (withShrink.stream().noneMatch(d -> d.attribute() == Attribute.SIZE)) {
        withShrink.add(new AttributeChange(Attribute.SIZE, oldSizeText, newSizeText));
      }
      return withShrink;
    }
    for (AttributeChange difference : differences) {
      Attribute attribute = difference.attribute();
      if (attribute.isDigest() && difference.before() != null) {
        String prefix = digester.prefixDigest(after.path(), attribute, oldSize);
        if (!difference.before().equals(prefix)) {
          return differences;
        }
      }
    }
    List<AttributeChange> remaining = new ArrayList<>();
    for (AttributeChange difference : differences) {
      if (!GROWTH_ATTRIBUTES.contains(difference.attribute())) {
        remaining.add(difference);
      }
    }
    return remaining;
  }
}
