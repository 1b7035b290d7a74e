package dev.telltale.run;

import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.compare.Comparison;
import dev.telltale.compare.Summary;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.policy.Policy;
import dev.telltale.report.ReportContext;
import dev.telltale.report.Reporter;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.Scanner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Verifies a baseline, scans the live system and reports the differences.
 *
 * <p>The baseline's signature is verified over the whole file before any entry is read; the entries
 * are then streamed a second time and the digest recomputed, so a file swapped between the passes
 * fails the check with a tamper error.
 */
public final class CheckJob {
  private CheckJob() {}

  /**
   * Runs the check and returns its counts; the exit code follows from them.
   *
   * @param baselineEntries receives the baseline's entry count once its signature has been verified
   *     and before the scan starts, so that a progress display can estimate the time left
   */
  public static Summary run(
      Policy policy,
      Scanner scanner,
      Path rootDirectory,
      Path baselineFile,
      VerifyKey key,
      String toolVersion,
      Reporter reporter,
      LongConsumer baselineEntries)
      throws TelltaleException {
    Instant started = Instant.now();
    try (BaselineReader reader = BaselineReader.open(baselineFile, key)) {
      BaselineHeader header = reader.header();
      List<String> warnings = new ArrayList<>();
      if (!header.policySha256().equals(policy.digestSha256())) {
        warnings.add(
            "the policy differs from the one the baseline was made with (baseline policy sha256 "
                + header.policySha256()
                + "): paths it no longer covers are not compared, and attributes the baseline"
                + " lacks are reported as not verified");
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
              warnings);
      reporter.start(context);
      baselineEntries.accept(reader.entryCount());
      Comparison comparison = new Comparison(policy::ruleFor, scanner::prefixDigest);
      Summary summary;
      try (EntryStream baseline = reader.entries();
          EntryStream live = scanner.scan()) {
        summary = comparison.run(baseline, live, reporter::change);
      }
      reporter.finish(summary);
      return summary;
    }
  }
}
