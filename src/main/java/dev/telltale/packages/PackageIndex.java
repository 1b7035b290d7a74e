package dev.telltale.packages;

import dev.telltale.TelltaleException;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of all installed packages whose header signature and digest verified, for {@code check
 * --explain-packages}. Headers that did not verify contribute nothing, so no change can be
 * explained by metadata that root could have edited.
 */
public final class PackageIndex {
  private final Map<FsPath, PackageFile> files;
  private final List<InstalledPackage> packages;
  private final List<PackageResult> rejected;

  private PackageIndex(
      Map<FsPath, PackageFile> files,
      List<InstalledPackage> packages,
      List<PackageResult> rejected) {
    this.files = files;
    this.packages = packages;
    this.rejected = rejected;
  }

  /**
   * Loads the index from an rpmdb.
   *
   * @param rootDirectory the installed tree
   * @param rpmdbOrNull the rpmdb.sqlite file or its directory; null to look below the root
   * @param keyrings the vendor keyrings; with none, no header verifies and the index is empty
   * @throws TelltaleException if the rpmdb or a keyring cannot be read
   */
  public static PackageIndex load(Path rootDirectory, Path rpmdbOrNull, List<Path> keyrings)
      throws TelltaleException {
    VendorKeys keys = VendorKeys.load(keyrings);
    HeaderVerifier verifier = new HeaderVerifier(keys);
    Map<FsPath, PackageFile> files = new HashMap<>();
    List<InstalledPackage> packages = new ArrayList<>();
    List<PackageResult> rejected = new ArrayList<>();
    RpmDatabase.locate(rootDirectory, rpmdbOrNull)
        .forEachHeader(
            (number, blob, size) -> {
              if (blob == null) {
                return;
              }
              RpmPackage rpmPackage = verifier.read(number, blob);
              if (rpmPackage.isPublicKeyEntry()) {
                return;
              }
              if (!rpmPackage.verified()) {
                rejected.add(
                    new PackageResult(
                        rpmPackage.nevra(),
                        number,
                        rpmPackage.headerSha256(),
                        "",
                        rpmPackage.findings(),
                        0,
                        List.of()));
                return;
              }
              packages.add(
                  new InstalledPackage(
                      rpmPackage.nevra(), rpmPackage.headerSha256(), rpmPackage.signerKeyId()));
              for (RpmFile file : rpmPackage.files()) {
                // NOTE: when two packages share a path, the later header wins; shared files
                // normally carry identical metadata in both.
                files.put(file.file().path(), file.file());
              }
            });
    packages.sort(
        java.util.Comparator.comparing(InstalledPackage::nevra)
            .thenComparing(InstalledPackage::headerSha256));
    return new PackageIndex(Map.copyOf(files), List.copyOf(packages), List.copyOf(rejected));
  }

  /** Returns the expected metadata of a path from a verified package, if any package owns it. */
  public Optional<PackageFile> lookup(FsPath path) {
    return Optional.ofNullable(files.get(path));
  }

  /** Returns the verified packages sorted by nevra, for the baseline's package set. */
  public List<InstalledPackage> packages() {
    return packages;
  }

  /** Returns the headers that did not verify, with their findings. */
  public List<PackageResult> rejected() {
    return rejected;
  }

  /**
   * Returns true when a scanned entry agrees with the package's metadata in every attribute that
   * both record: type, mode, size, content digest (when the scan has the package's algorithm),
   * user, group, mtime and link target. An attribute that the entry did not record is not compared;
   * an entry with a read error never matches.
   */
  public static boolean matches(Entry entry, PackageFile file) {
    if (entry.hasError()) {
      return false;
    }
    boolean regular = entry.type() == EntryType.FILE;
    if (!file.digestHex().isEmpty() && !regular) {
      return false;
    }
    if (!agrees(entry, Attribute.MODE, file.mode())
        || !agrees(entry, Attribute.USER, file.user())
        || !agrees(entry, Attribute.GROUP, file.group())) {
      return false;
    }
    if (entry.type() == EntryType.SYMLINK) {
      String target = entry.value(Attribute.TARGET);
      if (target != null && !target.equals(escape(file.linkTarget()))) {
        return false;
      }
    }
    if (!regular) {
      return true;
    }
    if (!agrees(entry, Attribute.SIZE, Long.toString(file.sizeBytes()))) {
      return false;
    }
    String mtime = entry.value(Attribute.MTIME);
    if (mtime != null && file.mtimeSeconds() >= 0 && !mtime.startsWith(file.mtimeSeconds() + ".")) {
      return false;
    }
    Attribute digest =
        switch (file.digestAlgorithm()) {
          case "sha256" -> Attribute.SHA256;
          case "sha512" -> Attribute.SHA512;
          default -> null;
        };
    if (digest == null || entry.value(digest) == null) {
      // Without a comparable content digest, a content change cannot be ruled out.
      return false;
    }
    return entry.value(digest).equals(file.digestHex());
  }

  private static boolean agrees(Entry entry, Attribute attribute, String expected) {
    String value = entry.value(attribute);
    return value == null || expected.isEmpty() || value.equals(expected);
  }

  private static String escape(String text) {
    return dev.telltale.scan.PathEscape.escape(
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
