package dev.telltale.packages;

import java.util.List;

/**
 * One rpmdb header after its signature, digest and unsigned entries were checked.
 *
 * @param headerNumber the header's key in the rpmdb (the {@code hnum} column)
 * @param nevra name-[epoch:]version-release.arch, or {@code header #N} when unreadable
 * @param headerSha256 SHA-256 of the immutable region, lower-case hex; empty when unparsable
 * @param signerKeyId the issuer key ID of the header signature; empty when there is none
 * @param findings problems with the header itself, empty when it verified
 * @param files the files, read from the signed region only; empty when the header is malformed
 */
public record RpmPackage(
    long headerNumber,
    String nevra,
    String headerSha256,
    String signerKeyId,
    List<HeaderFinding> findings,
    List<RpmFile> files) {
  public RpmPackage {
    findings = List.copyOf(findings);
    files = List.copyOf(files);
  }

  /** Returns true when the signature and digest verified and no signed tag is shadowed. */
  public boolean verified() {
    return findings.stream().noneMatch(finding -> finding.kind().tampered());
  }

  /** Returns true for the pseudo-packages that rpm uses to store imported public keys. */
  public boolean isPublicKeyEntry() {
    return nevra.startsWith("gpg-pubkey-") && files.isEmpty();
  }
}
