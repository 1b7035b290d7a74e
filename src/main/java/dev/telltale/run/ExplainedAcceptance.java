package dev.telltale.run;

import dev.telltale.compare.Change;
import dev.telltale.compare.PackageChange;
import dev.telltale.packages.Explainer;
import dev.telltale.packages.InstalledPackage;
import dev.telltale.packages.PackageIndex;
import java.util.HashSet;
import java.util.Set;

/**
 * Accepts the changes that verified package headers explain, and nothing else: the selection of
 * {@code update --accept-explained}. Everything it leaves out still shows in the next check.
 */
public final class ExplainedAcceptance implements Acceptance {
  private final Explainer explainer;
  private final Set<String> verifiedDigests = new HashSet<>();
  private final Set<String> verifiedNames = new HashSet<>();

  /** Builds the selection from the headers of {@code index}, which verified against vendor keys. */
  public ExplainedAcceptance(PackageIndex index) {
    this.explainer = new Explainer(index);
    for (InstalledPackage installed : index.packages()) {
      verifiedDigests.add(installed.headerSha256());
      verifiedNames.add(packageName(installed.nevra()));
    }
  }

  @Override
  public Decision judge(Change change) {
    return explainer.explain(change).isPresent() ? Decision.ACCEPT : Decision.SKIP;
  }

  /**
   * Accepts an added or replacing header that verifies, and a removed header whose package name a
   * verified header still carries, as after an upgrade. A package removed outright is left for a
   * person to accept.
   */
  @Override
  public boolean acceptsPackage(PackageChange change) {
    return switch (change.kind()) {
      case ADDED, REPLACED -> verifiedDigests.contains(change.afterSha256());
      case REMOVED -> verifiedNames.contains(packageName(change.nevra()));
    };
  }

  /** Returns the name of {@code name-[epoch:]version-release.arch}; the name may hold dashes. */
  static String packageName(String nevra) {
    int releaseDash = nevra.lastIndexOf('-');
    if (releaseDash <= 0) {
      return nevra;
    }
    int versionDash = nevra.lastIndexOf('-', releaseDash - 1);
    return versionDash <= 0 ? nevra : nevra.substring(0, versionDash);
  }
}
