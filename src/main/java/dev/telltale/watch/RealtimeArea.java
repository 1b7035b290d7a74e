package dev.telltale.watch;

import dev.telltale.policy.Policy;
import dev.telltale.policy.Rule;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Descent;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.PathEscape;
import dev.telltale.scan.WalkPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of a policy that {@code watch} follows: the paths whose decisive rule is marked {@code
 * realtime}, and the directories that lead to them.
 *
 * <p>Each realtime rule contributes one root, the literal part of its pattern before the first
 * wildcard. A directory is {@link Place#INSIDE} when it lies at or below a root and no exclusion
 * decides it, and {@link Place#ON_THE_WAY} when it is an ancestor of a root. Both kinds are
 * watched: an ancestor because renaming it moves the whole watched tree.
 */
final class RealtimeArea {
  /** Where a directory lies relative to the realtime roots. */
  enum Place {
    INSIDE,
    ON_THE_WAY,
    OUTSIDE
  }

  private final Policy policy;
  private final List<FsPath> roots;

  private RealtimeArea(Policy policy, List<FsPath> roots) {
    this.policy = policy;
    this.roots = roots;
  }

  /** Collects the roots of the policy's realtime rules; the result is empty when there are none. */
  static RealtimeArea of(Policy policy) {
    TreeSet<FsPath> roots = new TreeSet<>();
    for (Rule rule : policy.realtimeRules()) {
      if (!rule.isExclusion()) {
        roots.add(literalPrefix(rule.pattern()));
      }
    }
    // A root below another root adds nothing: the outer one's walk reaches it.
    List<FsPath> outermost = new ArrayList<>();
    for (FsPath root : roots) {
      if (outermost.isEmpty() || !root.startsWith(outermost.getLast())) {
        outermost.add(root);
      }
    }
    return new RealtimeArea(policy, List.copyOf(outermost));
  }

  /** Returns the path of the pattern's names up to, not including, the first with a wildcard. */
  static FsPath literalPrefix(String pattern) {
    FsPath path = FsPath.ROOT;
    for (String name : pattern.split("/")) {
      if (name.isEmpty()) {
        continue;
      }
      if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0) {
        break;
      }
      try {
        path = path.child(PathEscape.unescape(name));
      } catch (PathEscape.MalformedEscapeException e) {
        // The policy parser accepted the pattern, so this cannot happen; stop at the bad name.
        break;
      }
    }
    return path;
  }

  List<FsPath> roots() {
    return roots;
  }

  boolean isEmpty() {
    return roots.isEmpty();
  }

  Policy policy() {
    return policy;
  }

  /** Returns the decisive rule of a path when it is a realtime rule, else null. */
  Rule realtimeRule(FsPath path) {
    Rule rule = policy.ruleFor(path);
    return rule != null && rule.realtime() && !rule.isExclusion() ? rule : null;
  }

  /** Returns where a directory lies relative to the roots. */
  Place place(FsPath directory) {
    for (FsPath root : roots) {
      if (directory.startsWith(root)) {
        Rule rule = policy.ruleFor(directory);
        return rule != null && rule.isExclusion() ? Place.OUTSIDE : Place.INSIDE;
      }
    }
    for (FsPath root : roots) {
      if (root.startsWith(directory)) {
        return Place.ON_THE_WAY;
      }
    }
    return Place.OUTSIDE;
  }

  /** Returns the names below an ancestor of roots that lead to them, sorted as the walk wants. */
  List<byte[]> namesTowardRoots(FsPath directory) {
    TreeSet<byte[]> names = new TreeSet<>(Arrays::compareUnsigned);
    int depth = directory.depth();
    for (FsPath root : roots) {
      if (root.depth() > depth && root.startsWith(directory)) {
        names.add(root.components().get(depth));
      }
    }
    return new ArrayList<>(names);
  }

  /**
   * Returns a walk plan that records only the realtime paths at or below {@code scope}, and opens
   * only the directories that lead there, so that a rescan reads no more than it compares.
   */
  WalkPlan plan(FsPath scope) {
    return new WalkPlan() {
      @Override
      public Set<Attribute> attributesFor(FsPath path) {
        if (!path.startsWith(scope) || realtimeRule(path) == null) {
          return null;
        }
        return policy.attributesFor(path);
      }

      @Override
      public Descent descentBelow(FsPath directory) {
        if (!directory.startsWith(scope)) {
          if (!scope.startsWith(directory)) {
            return Descent.NONE;
          }
          return new Descent.Named(List.of(scope.components().get(directory.depth())));
        }
        return switch (place(directory)) {
          case INSIDE -> policy.descentBelow(directory);
          case ON_THE_WAY -> new Descent.Named(namesTowardRoots(directory));
          case OUTSIDE -> Descent.NONE;
        };
      }

      @Override
      public boolean mayCrossInto(FsPath directory) {
        return policy.mayCrossInto(directory);
      }
    };
  }
}
