package dev.telltale.run;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.compare.Change;
import dev.telltale.compare.Comparison;
import dev.telltale.compare.PackageChange;
import dev.telltale.compare.Summary;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.packages.Explainer;
import dev.telltale.packages.PackageIndex;
import dev.telltale.packages.PackageSet;
import dev.telltale.policy.Policy;
import dev.telltale.report.ReportContext;
import dev.telltale.report.Reporter;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.Scanner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Verifies a baseline, scans the live system and reports the differences.
 *
 * <p>The baseline's signature is verified over the whole file before any entry is read; the entries
 * are then streamed a second time and the stored bytes' SHA-256 compared with the first pass's, so
 * a file swapped between the passes fails the check with a tamper error. The scan starts first and
 * runs ahead meanwhile, but nothing is compared before the signature holds.
 *
 * <p>When the baseline records a package set, the installed one is read and compared with it before
 * the scan. With an explainer, each change whose live entry a verified package header states is
 * passed to the reporter as explained.
 */
public final class CheckJob {
  private CheckJob() {}

  /**
   * Runs the check and returns its counts; the exit code follows from them.
   *
   * @param packages where the installed package set and the verified headers are read
   * @param explain whether changes are matched against verified package headers; the rpmdb must
   *     then exist and {@code packages} should name keyrings, or nothing verifies
   * @param baselineEntries receives the baseline's entry count once its signature has been verified
   *     and before the scan starts, so that a progress display can estimate the time left
   * @throws OutputException if explaining is requested and the rpmdb cannot be read
   */
  public static Summary run(
      Policy policy,
      Scanner scanner,
      Path rootDirectory,
      Path baselineFile,
      VerifyKey key,
      String toolVersion,
      PackageSource packages,
      boolean explain,
      Reporter reporter,
      LongConsumer baselineEntries)
      throws TelltaleException {
    Instant started = Instant.now();
    EntryStream live = startScan(scanner, baselineFile, key);
    try (live;
        BaselineReader reader = BaselineReader.open(baselineFile, key)) {
      BaselineHeader header = reader.header();
      List<String> warnings = new ArrayList<>();
      if (!header.policySha256().equals(policy.digestSha256())) {
        warnings.add(
            "the policy differs from the one the baseline was made with (baseline policy sha256 "
                + header.policySha256()
                + "): paths it no longer covers are not compared, and attributes the baseline"
                + " lacks are reported as not verified");
      }
      PackageSet installed = installedPackages(rootDirectory, packages, header, warnings);
      List<PackageChange> packageChanges =
          installed == null
              ? List.of()
              : PackageChange.between(header.packages(), installed.packages());
      Explainer explainer = null;
      if (explain) {
        PackageIndex index =
            PackageIndex.load(rootDirectory, packages.rpmdbOrNull(), packages.keyrings());
        if (!index.rejected().isEmpty() && installed == null) {
          warnings.add(
              index.rejected().size()
                  + " package headers do not verify against the given keys and explain nothing");
        }
        explainer = new Explainer(index);
      }
      ReportContext context =
          new ReportContext(
              toolVersion,
              HostName.current(),
              started,
              rootDirectory.toString(),
              baselineFile.toString(),
              reader.fileSha256(),
              header.created(),
              header.host(),
              key.fingerprint(),
              policy.sourceName(),
              policy.digestSha256(),
              warnings,
              installed == null ? null : installed.source(),
              packageChanges);
      reporter.start(context);
      baselineEntries.accept(reader.entryCount());
      Comparison comparison = new Comparison(policy::ruleFor, scanner::prefixDigest);
      ExplainingListener listener = new ExplainingListener(explainer, reporter);
      Summary summary;
      try (EntryStream baseline = reader.entries()) {
        summary = comparison.run(baseline, live, listener);
      }
      summary = summary.withExplained(listener.explained).withPackageChanges(packageChanges);
      reporter.finish(summary);
      return summary;
    }
  }

  /**
   * Starts the scan, which then runs ahead while the baseline is verified. When the scan cannot
   * start, the baseline is verified first all the same, so that a tampered baseline is reported as
   * such rather than hidden behind the scan's error.
   */
  static EntryStream startScan(Scanner scanner, Path baselineFile, VerifyKey key)
      throws TelltaleException {
    try {
      return scanner.scan();
    } catch (TelltaleException e) {
      BaselineReader.open(baselineFile, key).close();
      throw e;
    }
  }

  /**
   * Reads the installed package set when the baseline records one. A database that cannot be read
   * is a warning, and every recorded package then shows as removed: the check must not stop, and
   * must not claim the packages are unchanged.
   */
  private static PackageSet installedPackages(
      Path rootDirectory, PackageSource packages, BaselineHeader header, List<String> warnings)
      throws TelltaleException {
    PackageSet installed;
    try {
      installed =
          PackageSet.forCheck(
              rootDirectory, packages.rpmdbOrNull(), packages.keyrings(), header.packages());
    } catch (OutputException e) {
      warnings.add(
          "the package database cannot be read, so every recorded package is reported as"
              + " removed: "
              + e.getMessage());
      return new PackageSet("none", List.of(), List.of());
    }
    if (installed != null) {
      warnings.addAll(installed.notes());
    }
    return installed;
  }

  /** Passes each change to the reporter, marked with the package that explains it, if any. */
  private static final class ExplainingListener implements Comparison.ChangeListener {
    private final Explainer explainer;
    private final Reporter reporter;
    private long explained;

    ExplainingListener(Explainer explainer, Reporter reporter) {
      this.explainer = explainer;
      this.reporter = reporter;
    }

    @Override
    public void change(Change change) throws TelltaleException {
      Optional<String> explainedBy =
          explainer == null ? Optional.empty() : explainer.explain(change);
      if (explainedBy.isPresent()) {
        explained++;
        reporter.change(change, explainedBy.get());
      } else {
        reporter.change(change);
      }
    }
  }
}
