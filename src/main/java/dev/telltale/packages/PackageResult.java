package dev.telltale.packages;

import java.util.List;

/**
 * The verification of one package: its header's state and the files that need attention.
 *
 * @param nevra name-[epoch:]version-release.arch (dpkg: name:arch version)
 * @param headerNumber the rpmdb {@code hnum}; -1 for dpkg
 * @param headerSha256 SHA-256 of the immutable region; empty for dpkg and unparsable headers
 * @param signerKeyId the key ID whose signature verified; empty when none did
 * @param findings problems with the header itself
 * @param filesChecked how many files were compared
 * @param files results for files that differ, are missing or unreadable, or carry a note
 */
public record PackageResult(
    String nevra,
    long headerNumber,
    String headerSha256,
    String signerKeyId,
    List<HeaderFinding> findings,
    int filesChecked,
    List<FileResult> files) {
  public PackageResult {
    findings = List.copyOf(findings);
    files = List.copyOf(files);
  }

  /**
   * Returns true when the header verified; dpkg packages, which have no signature, return false.
   */
  public boolean verified() {
    return !signerKeyId.isEmpty() && findings.stream().noneMatch(f -> f.kind().tampered());
  }
}
