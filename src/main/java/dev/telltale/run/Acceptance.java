package dev.telltale.run;

import dev.telltale.compare.Change;
import dev.telltale.compare.PackageChange;
import dev.telltale.scan.FsPath;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The selection of changes that an update accepts into the new baseline. */
public sealed interface Acceptance
    permits Acceptance.All, Acceptance.Paths, ReportAcceptance, ExplainedAcceptance {

  /** Returns what to do with one change. */
  Decision judge(Change change);

  /**
   * Returns true when the new baseline records this change of the package set. By default it does
   * not: paths and reports name files, not packages.
   */
  default boolean acceptsPackage(PackageChange change) {
    return false;
  }

  /**
   * Returns the changes this selection named that the update never met, each with the reason. A
   * report that lists a change which has since been undone is one such case.
   */
  default List<String> unmet() {
    return List.of();
  }

  /** The decision for one change. */
  sealed interface Decision {
    /** Record the live entry. */
    record Accept() implements Decision {}

    /** Keep the baseline's entry: the selection does not name this change. */
    record Skip() implements Decision {}

    /** Keep the baseline's entry although the selection names it, for the reason given. */
    record Refuse(String reason) implements Decision {}

    Decision ACCEPT = new Accept();
    Decision SKIP = new Skip();
  }

  /** Every change. */
  record All() implements Acceptance {
    @Override
    public Decision judge(Change change) {
      return Decision.ACCEPT;
    }

    @Override
    public boolean acceptsPackage(PackageChange change) {
      return true;
    }
  }

  /** The changes at the given paths and below them. */
  record Paths(List<FsPath> paths, Set<FsPath> matched) implements Acceptance {
    public Paths(List<FsPath> paths) {
      this(List.copyOf(paths), new HashSet<>());
    }

    @Override
    public Decision judge(Change change) {
      for (FsPath path : paths) {
        if (change.path().startsWith(path)) {
          matched.add(path);
          return Decision.ACCEPT;
        }
      }
      return Decision.SKIP;
    }

    @Override
    public List<String> unmet() {
      return paths.stream()
          .filter(path -> !matched.contains(path))
          .map(path -> path + ": no change at or below this path")
          .toList();
    }
  }
}
