package dev.telltale.bundle;

import dev.telltale.OutputException;
import dev.telltale.TamperException;
import dev.telltale.TelltaleException;
import dev.telltale.crypto.KeyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares a bundle directory with its {@code MANIFEST.sha256} and, on request, verifies the
 * manifest's signature first.
 *
 * <p>What this proves depends on who runs it. Run by the bundle on the host it checks, it only
 * detects accidental damage and changes by an attacker who did not also change the code doing the
 * check: a root attacker can replace the launcher, the runtime or this class so that the check
 * reports success. A check of a bundle copy mounted on a trusted machine, with the public key from
 * trusted media, proves that the files are the ones the key holder signed.
 */
public final class BundleCheck {
  private BundleCheck() {}

  /** The outcome of a check: what was compared, and every difference in path order. */
  public record Result(
      Path root, int listedFiles, List<Finding> findings, String signerFingerprint) {
    public Result {
      findings = List.copyOf(findings);
    }

    /** Returns true when the bundle matches its manifest exactly. */
    public boolean matches() {
      return findings.isEmpty();
    }
  }

  /**
   * Checks the bundle at {@code root}.
   *
   * @param publicKey the key whose signature the manifest must carry, or null to check only the
   *     digests
   * @throws OutputException if the manifest or the bundle directory cannot be read
   * @throws TamperException if the manifest is malformed or its signature is missing or invalid
   */
  public static Result check(Path root, PublicKey publicKey) throws TelltaleException {
    byte[] manifestBytes =
        readBounded(root.resolve(BundleManifest.FILE_NAME), BundleManifest.MAX_BYTES);
    String signer = null;
    if (publicKey != null) {
      Path signatureFile = root.resolve(BundleManifest.SIGNATURE_FILE_NAME);
      if (!Files.exists(signatureFile)) {
        throw new TamperException(
            signatureFile
                + ": missing; the bundle was built unsigned or the signature was removed");
      }
      byte[] signature = readBounded(signatureFile, ManifestSignature.MAX_SIGNATURE_FILE_BYTES);
      ManifestSignature.verify(publicKey, manifestBytes, signature, signatureFile.toString());
      signer = ManifestSignature.fingerprint(publicKey);
    }
    BundleManifest manifest =
        BundleManifest.parse(manifestBytes, root.resolve(BundleManifest.FILE_NAME).toString());
    return new Result(root, manifest.entries().size(), compare(root, manifest), signer);
  }

  /** Returns the public key embedded in the bundle by its builder. */
  public static PublicKey embeddedPublicKey(Path root) throws KeyException {
    Path file = root.resolve(BundleManifest.PUBLIC_KEY_FILE_NAME);
    if (!Files.exists(file)) {
      throw new KeyException(
          file + ": missing; the bundle was built unsigned; give the builder's key with --pub");
    }
    return ManifestSignature.readPublicKey(file);
  }

  private static List<Finding> compare(Path root, BundleManifest manifest) throws OutputException {
    BundleTree.Listing listing;
    try {
      listing = BundleTree.list(root);
    } catch (IOException e) {
      throw new OutputException(root + ": cannot list the bundle: " + e.getMessage(), e);
    }
    List<Finding> findings = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (ManifestEntry entry : manifest.entries()) {
      listed.add(entry.path());
      Finding finding = compareEntry(root, entry, listing);
      if (finding != null) {
        findings.add(finding);
      }
    }
    for (var entry : listing.entries().keySet()) {
      if (!listed.contains(entry) && !BundleManifest.isManifestFile(entry)) {
        findings.add(new Finding(Finding.Kind.UNEXPECTED, entry, "not in the manifest"));
      }
    }
    for (var entry : listing.unreadable().entrySet()) {
      findings.add(new Finding(Finding.Kind.UNREADABLE, entry.getKey(), entry.getValue()));
    }
    findings.sort(
        (a, b) ->
            a.path().equals(b.path())
                ? a.kind().compareTo(b.kind())
                : a.path().compareTo(b.path()));
    return findings;
  }

  private static Finding compareEntry(Path root, ManifestEntry entry, BundleTree.Listing listing) {
    BundleTree.Kind kind = listing.entries().get(entry.path());
    if (kind == null) {
      // A file below an unreadable directory is reported once, with the directory.
      return isBelowUnreadable(entry.path(), listing)
          ? null
          : new Finding(Finding.Kind.MISSING, entry.path(), "listed in the manifest");
    }
    if (kind != BundleTree.Kind.REGULAR) {
      return new Finding(Finding.Kind.CHANGED, entry.path(), "no longer a regular file");
    }
    try {
      String actual = BundleTree.sha256(root.resolve(entry.path()));
      if (!actual.equals(entry.sha256())) {
        return new Finding(
            Finding.Kind.CHANGED,
            entry.path(),
            "sha256 " + actual + ", expected " + entry.sha256());
      }
      return null;
    } catch (NoSuchFileException e) {
      return new Finding(Finding.Kind.MISSING, entry.path(), "removed during the check");
    } catch (IOException e) {
      return new Finding(Finding.Kind.UNREADABLE, entry.path(), String.valueOf(e.getMessage()));
    }
  }

  private static boolean isBelowUnreadable(String path, BundleTree.Listing listing) {
    for (String directory : listing.unreadable().keySet()) {
      if (path.startsWith(directory + "/")) {
        return true;
      }
    }
    return false;
  }

  private static byte[] readBounded(Path file, int maxBytes)
      throws OutputException, TamperException {
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new TamperException(
            file + ": " + size + " bytes, more than the maximum of " + maxBytes);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new OutputException(
          file + ": not found; this is not a telltale bundle, or its manifest was removed", e);
    } catch (IOException e) {
      throw new OutputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
