package dev.telltale.packages;

import dev.telltale.ExitCode;
import java.util.List;

/**
 * The result of {@code telltale packages verify}.
 *
 * @param backend {@code rpm-sqlite} or {@code dpkg}
 * @param source the database file or directory that was read
 * @param notes facts the reader needs to judge the result, such as dpkg metadata being unsigned
 * @param keyFingerprints fingerprints of the keys from {@code --keyring}
 * @param headersOnly true when files were not compared
 * @param packages one result per header or dpkg package, in database order
 */
public record VerifyReport(
    String backend,
    String source,
    List<String> notes,
    List<String> keyFingerprints,
    boolean headersOnly,
    List<PackageResult> packages) {
  public VerifyReport {
    notes = List.copyOf(notes);
    keyFingerprints = List.copyOf(keyFingerprints);
    packages = List.copyOf(packages);
  }

  /**
   * Returns the exit code: 20 when any header is tampered with or unverifiable, else the OR of 2 (a
   * file missing), 4 (a file changed, or an unexpected unsigned header entry) and 8 (a file
   * unreadable).
   */
  public int exitCode() {
    int code = 0;
    for (PackageResult result : packages) {
      for (HeaderFinding finding : result.findings()) {
        if (finding.kind().tampered()) {
          return ExitCode.TAMPERED.code();
        }
        code |= ExitCode.CHANGED.code();
      }
      for (FileResult file : result.files()) {
        if (!file.isFinding()) {
          continue;
        }
        code |=
            switch (file.status()) {
              case MISSING -> ExitCode.REMOVED.code();
              case CHANGED -> ExitCode.CHANGED.code();
              case UNREADABLE -> ExitCode.INCOMPLETE.code();
              case OK -> 0;
            };
      }
    }
    return code;
  }
}
