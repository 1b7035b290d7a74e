package dev.telltale.baseline;

import dev.telltale.crypto.VerifyKey;
import dev.telltale.scan.FsPath;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The header of a baseline: what was scanned, when, where, under which policy and by which key.
 *
 * @param formatVersion the baseline format version; this telltale writes and reads {@link
 *     #CURRENT_VERSION} only
 * @param created when the scan that the baseline records started
 * @param host the host name of the machine that made the baseline
 * @param root the directory that was scanned as {@code /}, such as {@code /mnt/clone}
 * @param policySha256 SHA-256 of the policy file, 64 lower-case hex digits
 * @param toolVersion the telltale version that wrote the baseline
 * @param keyFingerprint fingerprint of the key that signed the baseline, see {@link
 *     VerifyKey#fingerprint()}
 * @param packages the installed packages that explain changes, in the order given
 */
public record BaselineHeader(
    int formatVersion,
    Instant created,
    String host,
    FsPath root,
    String policySha256,
    String toolVersion,
    String keyFingerprint,
    List<PackageRecord> packages) {

  /** The format version that this telltale writes and reads. */
  public static final int CURRENT_VERSION = 1;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /**
   * @throws IllegalArgumentException if a digest or fingerprint has the wrong form
   */
  public BaselineHeader {
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(toolVersion, "toolVersion");
    if (!isSha256Hex(policySha256)) {
      throw new IllegalArgumentException(
          "policy SHA-256 must be 64 lower-case hex digits, not '" + policySha256 + "'");
    }
    if (!VerifyKey.isFingerprint(keyFingerprint)) {
      throw new IllegalArgumentException("invalid key fingerprint '" + keyFingerprint + "'");
    }
    packages = List.copyOf(packages);
  }

  /**
   * An installed package: the SHA-256 of its signed header and its name, epoch, version, release
   * and architecture.
   *
   * @param headerSha256 64 lower-case hex digits
   * @param nevra such as {@code bash-0:5.2.26-3.fc41.x86_64}
   */
  public record PackageRecord(String headerSha256, String nevra) {
    public PackageRecord {
      if (!isSha256Hex(headerSha256)) {
        throw new IllegalArgumentException(
            "package header SHA-256 must be 64 lower-case hex digits, not '" + headerSha256 + "'");
      }
      Objects.requireNonNull(nevra, "nevra");
    }
  }

  static boolean isSha256Hex(String text) {
    return text != null && SHA256_HEX.matcher(text).matches();
  }
}
