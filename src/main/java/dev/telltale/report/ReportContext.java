package dev.telltale.report;

import dev.telltale.compare.PackageChange;
import java.time.Instant;
import java.util.List;

/**
 * What a report says about the check itself, so that a reader can tell which baseline, key and
 * policy it was made against.
 *
 * @param toolVersion telltale's version
 * @param host the host name of the machine that ran the check
 * @param checkedAt when the check started
 * @param rootDirectory the directory under which the policy's paths were read
 * @param baselinePath the baseline file as named on the command line
 * @param baselineSha256 SHA-256 of the baseline file as stored, hex
 * @param baselineCreated when the baseline was made
 * @param baselineHost the host recorded in the baseline
 * @param keyFingerprint fingerprint of the key that verified the baseline
 * @param policySource the policy's file name, or {@code embedded:NAME}
 * @param policySha256 SHA-256 of the policy text, hex
 * @param warnings conditions the reader must know, such as a policy changed since the baseline
 * @param packageSource the package database whose headers were compared with the baseline's package
 *     set, or null when the baseline records no package set
 * @param packageChanges the differences between the recorded and the installed package set
 */
public record ReportContext(
    String toolVersion,
    String host,
    Instant checkedAt,
    String rootDirectory,
    String baselinePath,
    String baselineSha256,
    Instant baselineCreated,
    String baselineHost,
    String keyFingerprint,
    String policySource,
    String policySha256,
    List<String> warnings,
    String packageSource,
    List<PackageChange> packageChanges) {
  public ReportContext {
    warnings = List.copyOf(warnings);
    packageChanges = List.copyOf(packageChanges);
  }

  /** A context for a check that compares no package set. */
  public ReportContext(
      String toolVersion,
      String host,
      Instant checkedAt,
      String rootDirectory,
      String baselinePath,
      String baselineSha256,
      Instant baselineCreated,
      String baselineHost,
      String keyFingerprint,
      String policySource,
      String policySha256,
      List<String> warnings) {
    this(
        toolVersion,
        host,
        checkedAt,
        rootDirectory,
        baselinePath,
        baselineSha256,
        baselineCreated,
        baselineHost,
        keyFingerprint,
        policySource,
        policySha256,
        warnings,
        null,
        List.of());
  }
}
