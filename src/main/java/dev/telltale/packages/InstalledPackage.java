package dev.telltale.packages;

import java.util.Objects;

/**
 * One installed package whose header verified, for the baseline's package set.
 *
 * @param nevra name-[epoch:]version-release.arch
 * @param headerSha256 SHA-256 of the header's immutable region in lower-case hex, computed by
 *     telltale; a replaced header changes it even when the package name and version stay
 * @param signerKeyId the key ID of the signature that verified, 16 upper-case hex digits
 */
public record InstalledPackage(String nevra, String headerSha256, String signerKeyId) {
  public InstalledPackage {
    Objects.requireNonNull(nevra, "nevra");
    Objects.requireNonNull(headerSha256, "headerSha256");
    Objects.requireNonNull(signerKeyId, "signerKeyId");
  }
}
