package dev.telltale.report;

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
    List<String> warnings) {
  public ReportContext {
    warnings = List.copyOf(warnings);
  }
}
