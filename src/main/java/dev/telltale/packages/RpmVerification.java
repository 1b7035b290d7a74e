package dev.telltale.packages;

import dev.telltale.TelltaleException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Verifies every header of an rpmdb and, unless asked not to, every file the headers list. */
public final class RpmVerification {
  private RpmVerification() {}

  /**
   * Runs the verification.
   *
   * @param root the installed tree, {@code /} for the running system
   * @param rpmdbOrNull the rpmdb.sqlite file or its directory; null to look below the root
   * @param keys the vendor keys
   * @param headersOnly when true, files are not compared
   * @throws TelltaleException if the rpmdb cannot be found or read
   */
  public static VerifyReport run(Path root, Path rpmdbOrNull, VendorKeys keys, boolean headersOnly)
      throws TelltaleException {
    RpmDatabase database = RpmDatabase.locate(root, rpmdbOrNull);
    HeaderVerifier headers = new HeaderVerifier(keys);
    FileVerifier files = new FileVerifier(new RootFileSystem(root));
    List<PackageResult> results = new ArrayList<>();
    database.forEachHeader(
        (number, blob, size) -> {
          RpmPackage rpmPackage =
              blob == null ? tooLarge(number, size) : headers.read(number, blob);
          results.add(check(rpmPackage, files, headersOnly));
        });
    List<String> notes = new ArrayList<>(database.notes());
    notes.add(
        "file metadata is taken only from the signed region of each header; keys come only from"
            + " --keyring");
    return new VerifyReport(
        "rpm-sqlite", database.file().toString(), notes, keys.fingerprints(), headersOnly, results);
  }

  private static RpmPackage tooLarge(long number, long size) {
    HeaderFinding finding =
        new HeaderFinding(
            HeaderFinding.Kind.MALFORMED,
            "blob of " + size + " bytes exceeds the limit of " + RpmDatabase.MAX_HEADER_BYTES);
    return new RpmPackage(number, "header #" + number, "", "", List.of(finding), List.of());
  }

  private static PackageResult check(
      RpmPackage rpmPackage, FileVerifier files, boolean headersOnly) {
    List<FileResult> reported = new ArrayList<>();
    int checked = 0;
    if (!headersOnly) {
      for (RpmFile file : rpmPackage.files()) {
        FileResult result = files.verify(file);
        checked++;
        if (result.status() != FileResult.Status.OK || !result.notes().isEmpty()) {
          reported.add(result);
        }
      }
    }
    List<HeaderFinding> findings = rpmPackage.findings();
    if (rpmPackage.isPublicKeyEntry()) {
      // gpg-pubkey entries are unsigned key copies, never trusted and never holding files.
      findings =
          rpmPackage.findings().stream()
              .filter(
                  f ->
                      f.kind() != HeaderFinding.Kind.SIGNATURE_MISSING
                          && f.kind() != HeaderFinding.Kind.SIGNATURE_UNKNOWN_KEY)
              .toList();
    }
    return new PackageResult(
        rpmPackage.nevra(),
        rpmPackage.headerNumber(),
        rpmPackage.headerSha256(),
        rpmPackage.verified() ? rpmPackage.signerKeyId() : "",
        findings,
        checked,
        reported);
  }
}
