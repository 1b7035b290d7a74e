package dev.telltale.policy;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.FsPath;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Why a path is or is not recorded: the decisive rule, the attributes it records, and every other
 * matching rule with the reason it lost.
 *
 * @param path the explained path
 * @param decisive the decisive match, or null when no rule matches
 * @param attributes the attributes recorded; empty when the path is excluded or no rule matches
 * @param others the other matching rules, best first, each with the reason it lost
 */
public record Explanation(
    FsPath path, Match decisive, Set<Attribute> attributes, List<Match> others) {

  /**
   * A rule that matches the path.
   *
   * @param depth the depth of the matched path: the path itself for an entry rule, or the ancestor
   *     that a subtree rule or exclusion covers it from (0 for the root)
   * @param lossReason why the rule lost to the decisive one; empty for the decisive rule
   */
  public record Match(Rule rule, int depth, String lossReason) {
    public Match {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(lossReason, "lossReason");
    }
  }

  public Explanation {
    Objects.requireNonNull(path, "path");
    attributes = Set.copyOf(attributes);
    others = List.copyOf(others);
  }

  /** Returns true when the path is recorded. */
  public boolean recorded() {
    return decisive != null && !decisive.rule().isExclusion();
  }

  /** Renders the explanation as lines of text for {@code policy-check --explain}. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(path).append('\n');
    if (decisive == null) {
      out.append("  not recorded: no rule matches\n");
      return out.toString();
    }
    Rule rule = decisive.rule();
    out.append("  decided by ")
        .append(rule.describe())
        .append(", matching at depth ")
        .append(decisive.depth())
        .append('\n');
    if (rule.isExclusion()) {
      out.append("  not recorded: excluded\n");
    } else {
      String names =
          java.util.Arrays.stream(Attribute.values())
              .filter(attributes::contains)
              .map(Attribute::policyName)
              .collect(Collectors.joining("+"));
      out.append("  records ").append(names).append('\n');
      out.append("  severity ").append(rule.severity().label());
      if (rule.growing()) {
        out.append(", growing");
      }
      if (rule.realtime()) {
        out.append(", realtime");
      }
      if (rule.crossMounts()) {
        out.append(", crossmounts");
      }
      out.append('\n');
    }
    for (Match other : others) {
      out.append("  also matches: ")
          .append(other.rule().describe())
          .append(", lost because it ")
          .append(other.lossReason())
          .append('\n');
    }
    return out.toString();
  }
}
