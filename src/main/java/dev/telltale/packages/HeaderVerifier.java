package dev.telltale.packages;

import dev.telltale.packages.HeaderFinding.Kind;
import dev.telltale.packages.RpmHeader.IndexEntry;
import dev.telltale.scan.FsPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks one rpmdb header against the vendor keys and reads its files from the signed region only.
 */
final class HeaderVerifier {
  /**
   * Tags that rpm adds outside the signed region when it installs a package: the signature header's
   * tags (257 to 279, except 266, the key material of gpg-pubkey entries, which is signed) and the
   * install-time tags INSTALLTIME 1008, FILESTATES 1029, ARCHIVESIZE 1046, INSTPREFIXES 1099,
   * INSTALLCOLOR 1127 and INSTALLTID 1128.
   */
  // NOTE: taken from rpm 4.18's tag list and the tags seen in the test rpmdbs; rpm releases that
  // add more install-time tags make those show as unexpected unsigned entries.
  private static final Set<Integer> EXPECTED_UNSIGNED = expectedUnsigned();

  private static final int DEFAULT_DIGEST_ALGORITHM = 1;

  private final VendorKeys keys;

  HeaderVerifier(VendorKeys keys) {
    this.keys = keys;
  }

  private static Set<Integer> expectedUnsigned() {
    Set<Integer> tags = new HashSet<>();
    for (int tag = 257; tag <= 279; tag++) {
      if (tag != 266) {
        tags.add(tag);
      }
    }
    tags.addAll(List.of(1008, 1029, 1046, 1099, 1127, 1128));
    return Set.copyOf(tags);
  }

  /** Checks and reads one header blob. A malformed header becomes a finding, not an exception. */
  RpmPackage read(long headerNumber, byte[] blob) {
    String placeholder = "header #" + headerNumber;
    RpmHeader header;
    try {
      header = RpmHeader.parse(blob);
    } catch (RpmHeaderException e) {
      return malformed(headerNumber, placeholder, "", e.getMessage());
    }
    if (!header.hasRegion()) {
      HeaderFinding finding = new HeaderFinding(Kind.NO_REGION, "no region tag 63");
      return new RpmPackage(headerNumber, placeholder, "", "", List.of(finding), List.of());
    }
    byte[] region = header.immutableRegion();
    String regionSha256 = HexFormat.of().formatHex(sha256(region));
    String nevra;
    try {
      nevra = nevra(header, placeholder);
    } catch (RpmHeaderException e) {
      return malformed(headerNumber, placeholder, regionSha256, e.getMessage());
    }

    List<HeaderFinding> findings = new ArrayList<>();
    checkUnsignedEntries(header, findings);
    String signer = checkSignatures(header, region, findings);
    checkDigest(header, regionSha256, findings);
    List<RpmFile> files;
    try {
      files = RpmFileList.read(header, nevra);
    } catch (RpmHeaderException e) {
      return malformed(headerNumber, nevra, regionSha256, e.getMessage());
    }
    return new RpmPackage(headerNumber, nevra, regionSha256, signer, findings, files);
  }

  private static RpmPackage malformed(long number, String nevra, String sha256, String detail) {
    HeaderFinding finding = new HeaderFinding(Kind.MALFORMED, detail);
    return new RpmPackage(number, nevra, sha256, "", List.of(finding), List.of());
  }

  private static void checkUnsignedEntries(RpmHeader header, List<HeaderFinding> findings) {
    Set<Integer> signedTags = new HashSet<>();
    Set<Integer> unsignedTags = new LinkedHashSet<>();
    for (IndexEntry entry : header.entries()) {
      if (entry.signed()) {
        if (!signedTags.add(entry.tag())) {
          findings.add(
              new HeaderFinding(Kind.MALFORMED, "tag " + entry.tag() + " twice in signed region"));
        }
        continue;
      }
      if (signedTags.contains(entry.tag())) {
        findings.add(
            new HeaderFinding(Kind.SHADOWED_TAG, "tag " + entry.tag() + " " + tagName(entry)));
      } else if (!unsignedTags.add(entry.tag())) {
        findings.add(
            new HeaderFinding(Kind.SHADOWED_TAG, "unsigned tag " + entry.tag() + " appears twice"));
      } else if (!EXPECTED_UNSIGNED.contains(entry.tag())) {
        findings.add(
            new HeaderFinding(
                Kind.UNEXPECTED_UNSIGNED_TAG, "tag " + entry.tag() + " " + tagName(entry)));
      }
    }
  }

  private static String tagName(IndexEntry entry) {
    return "(type " + entry.type() + ", count " + entry.count() + ")";
  }

  /** Checks RSAHEADER and DSAHEADER; every one present must verify, and one must be present. */
  private String checkSignatures(RpmHeader header, byte[] region, List<HeaderFinding> findings) {
    String signer = "";
    boolean any = false;
    for (int tag : new int[] {RpmTag.RSAHEADER, RpmTag.DSAHEADER}) {
      IndexEntry entry = header.unsignedEntry(tag);
      if (entry == null) {
        continue;
      }
      any = true;
      if (entry.type() != RpmHeader.TYPE_BIN) {
        findings.add(new HeaderFinding(Kind.SIGNATURE_BAD, "tag " + tag + " is not binary"));
        continue;
      }
      VendorKeys.Check check = keys.verify(header.binary(entry), region);
      switch (check.outcome()) {
        case VALID -> signer = check.keyId();
        case UNKNOWN_KEY ->
            findings.add(new HeaderFinding(Kind.SIGNATURE_UNKNOWN_KEY, "key " + check.keyId()));
        case BAD, MALFORMED ->
            findings.add(
                new HeaderFinding(
                    Kind.SIGNATURE_BAD,
                    "tag " + tag + " key " + check.keyId() + ": " + check.detail()));
      }
    }
    if (!any) {
      findings.add(new HeaderFinding(Kind.SIGNATURE_MISSING, "neither RSAHEADER nor DSAHEADER"));
    }
    return signer;
  }

  private static void checkDigest(RpmHeader header, String regionSha256, List<HeaderFinding> out) {
    IndexEntry entry = header.unsignedEntry(RpmTag.SHA256HEADER);
    if (entry == null) {
      out.add(new HeaderFinding(Kind.DIGEST_MISSING, "no tag 273"));
      return;
    }
    if (entry.type() != RpmHeader.TYPE_STRING) {
      out.add(new HeaderFinding(Kind.DIGEST_BAD, "tag 273 is not a string"));
      return;
    }
    byte[] stored = header.binary(entry);
    // The stored value ends with its NUL terminator.
    String storedHex =
        new String(stored, 0, stored.length - 1, StandardCharsets.US_ASCII)
            .toLowerCase(Locale.ROOT);
    boolean equal =
        MessageDigest.isEqual(
            storedHex.getBytes(StandardCharsets.US_ASCII),
            regionSha256.getBytes(StandardCharsets.US_ASCII));
    if (!equal) {
      out.add(new HeaderFinding(Kind.DIGEST_BAD, "stored " + bounded(storedHex)));
    }
  }

  private static String bounded(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  private static String nevra(RpmHeader header, String fallback) throws RpmHeaderException {
    String name = firstString(header, RpmTag.NAME);
    String version = firstString(header, RpmTag.VERSION);
    String release = firstString(header, RpmTag.RELEASE);
    if (name == null || version == null || release == null) {
      return fallback;
    }
    String arch = firstString(header, RpmTag.ARCH);
    IndexEntry epochEntry = header.signedEntry(RpmTag.EPOCH);
    String epoch = epochEntry == null ? "" : header.integers(epochEntry)[0] + ":";
    return name + "-" + epoch + version + "-" + release + (arch == null ? "" : "." + arch);
  }

  private static String firstString(RpmHeader header, int tag) throws RpmHeaderException {
    IndexEntry entry = header.signedEntry(tag);
    if (entry == null) {
      return null;
    }
    return escapeText(header.strings(entry).getFirst());
  }

  /** Makes a header string safe to print on one line, with the path escape. */
  static String escapeText(String text) {
    return dev.telltale.scan.PathEscape.escape(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static FsPath pathOf(byte[] raw, IndexEntry entry) throws RpmHeaderException {
    try {
      return FsPath.ofBytes(raw);
    } catch (IllegalArgumentException e) {
      throw new RpmHeaderException("tag " + entry.tag() + ": invalid file path: " + e.getMessage());
    }
  }
}
