package dev.telltale.compare;

import dev.telltale.policy.Rule;
import dev.telltale.policy.Severity;
import dev.telltale.scan.Entry;
import dev.telltale.scan.FsPath;
import java.util.List;
import java.util.Objects;

/** A difference between the baseline and the live system, for one path. */
public sealed interface Change {
  /** Returns the path as the policy writes it. */
  FsPath path();

  /** Returns the rule that decided how the path is compared. */
  Rule rule();

  /** Returns the name used for this kind in JSON reports. */
  String kind();

  default Severity severity() {
    return rule().severity();
  }

  /** An entry that is live but not in the baseline. */
  record Added(Entry after, Rule rule) implements Change {
    public Added {
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(rule, "rule");
    }

    @Override
    public FsPath path() {
      return after.path();
    }

    @Override
    public String kind() {
      return "added";
    }
  }

  /** An entry that is in the baseline but no longer live. */
  record Removed(Entry before, Rule rule) implements Change {
    public Removed {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(rule, "rule");
    }

    @Override
    public FsPath path() {
      return before.path();
    }

    @Override
    public String kind() {
      return "removed";
    }
  }

  /** An entry whose compared attributes differ; {@code differences} is never empty. */
  record Changed(Entry before, Entry after, List<AttributeChange> differences, Rule rule)
      implements Change {
    public Changed {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(rule, "rule");
      differences = List.copyOf(differences);
      if (differences.isEmpty()) {
        throw new IllegalArgumentException("a change needs at least one difference");
      }
    }

    @Override
    public FsPath path() {
      return after.path();
    }

    @Override
    public String kind() {
      return "changed";
    }
  }

  /**
   * An entry that could not be verified: it could not be read, or the baseline lacks an attribute
   * that the policy now compares. Either way the check's coverage is incomplete.
   *
   * @param before the baseline entry, or null when there is none
   * @param after the live entry as far as it could be read
   * @param reason what could not be verified and why
   */
  record Unreadable(Entry before, Entry after, String reason, Rule rule) implements Change {
    public Unreadable {
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(rule, "rule");
    }

    @Override
    public FsPath path() {
      return after.path();
    }

    @Override
    public String kind() {
      return "unreadable";
    }
  }
}
