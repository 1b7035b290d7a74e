package dev.telltale.policy;

import dev.telltale.scan.Attribute;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of a policy.
 *
 * @param kind whether the rule covers a subtree, one entry, or excludes a subtree
 * @param pattern the path pattern as written in the policy, escapes included
 * @param attributes the attributes to record and compare, always with size for a growing rule;
 *     empty for an exclusion
 * @param severity how much a change under this rule matters
 * @param growing whether a file that only grew, with its old content as an unchanged prefix, is
 *     accepted
 * @param realtime whether {@code watch} follows this rule's paths as they change
 * @param crossMounts whether the walk may enter other file systems below this rule's paths
 * @param source where the rule is written, as {@code file:line}
 */
public record Rule(
    Kind kind,
    String pattern,
    Set<Attribute> attributes,
    Severity severity,
    boolean growing,
    boolean realtime,
    boolean crossMounts,
    String source) {

  /** What a rule does with the paths it matches. */
  public enum Kind {
    /** The path and everything below it: written as a bare pattern. */
    SUBTREE,
    /** The path itself, not its contents: written with a leading {@code =}. */
    ENTRY,
    /** The path and everything below it are neither recorded nor opened: a leading {@code !}. */
    EXCLUDE
  }

  public Rule {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(source, "source");
    EnumSet<Attribute> selected = EnumSet.noneOf(Attribute.class);
    selected.addAll(attributes);
    if (growing) {
      // A growing rule always records size: a shrunk file must be reported, since truncating a
      // log is how traces are erased.
      selected.add(Attribute.SIZE);
    }
    attributes = Collections.unmodifiableSet(selected);
  }

  public boolean isExclusion() {
    return kind == Kind.EXCLUDE;
  }

  /** Returns the rule as reports name it: its pattern and where it is written. */
  public String describe() {
    String prefix =
        switch (kind) {
          case SUBTREE -> "";
          case ENTRY -> "=";
          case EXCLUDE -> "!";
        };
    return prefix + pattern + " (" + source + ")";
  }
}
