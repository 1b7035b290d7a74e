package dev.telltale.packages;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader.PackageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The installed packages of a root, each keyed by a digest of its metadata, as the baseline records
 * them so that {@code check} sees a package added, removed or replaced.
 *
 * <p>RPM: every header of the rpmdb except the {@code gpg-pubkey} entries, keyed by the SHA-256 of
 * its immutable region, whether or not its signature verifies; the ones that do not verify are
 * named in {@link #notes()}. dpkg: every installed package, keyed by the SHA-256 of its status
 * stanza followed by its md5sums file, with the nevra {@code dpkg-unsigned:NAME:ARCH=VERSION}
 * because nothing in dpkg's metadata is signed.
 *
 * @param source the database read, for reports
 * @param packages the packages sorted by nevra, then digest
 * @param notes conditions the reader must know, such as headers that do not verify
 */
public record PackageSet(String source, List<PackageRecord> packages, List<String> notes) {
  /** The prefix of the nevra of a package recorded from dpkg's unsigned metadata. */
  public static final String DPKG_PREFIX = "dpkg-unsigned:";

  private static final List<String> RPM_DIRECTORIES =
      List.of("usr/lib/sysimage/rpm", "var/lib/rpm");
  private static final List<String> RPM_DATABASE_FILES =
      List.of("rpmdb.sqlite", "Packages", "Packages.db");

  public PackageSet {
    packages = List.copyOf(packages);
    notes = List.copyOf(notes);
  }

  /**
   * Reads the package set that {@code init} and {@code update} record: the rpmdb's headers when
   * keyrings are given, dpkg's packages when the root has dpkg and no rpmdb.
   *
   * @return the set, or null when nothing is recorded: no package database, or an rpmdb and no
   *     keyring
   * @throws TelltaleException if the database or a keyring cannot be read
   */
  public static PackageSet forBaseline(Path root, Path rpmdbOrNull, List<Path> keyrings)
      throws TelltaleException {
    if (hasRpmdb(root, rpmdbOrNull)) {
      return keyrings.isEmpty() ? null : readRpm(root, rpmdbOrNull, keyrings);
    }
    Path admindir = root.resolve("var/lib/dpkg");
    if (Files.isRegularFile(admindir.resolve("status"))) {
      return readDpkg(admindir);
    }
    return null;
  }

  /**
   * Reads the installed set from the same kind of database that {@code recorded} came from, for
   * {@code check}. Comparing digests needs no keys; keyrings only name the headers that do not
   * verify.
   *
   * @return the set, or null when {@code recorded} is empty, so there is nothing to compare
   */
  public static PackageSet forCheck(
      Path root, Path rpmdbOrNull, List<Path> keyrings, List<PackageRecord> recorded)
      throws TelltaleException {
    if (recorded.isEmpty()) {
      return null;
    }
    if (recorded.getFirst().nevra().startsWith(DPKG_PREFIX)) {
      return readDpkg(root.resolve("var/lib/dpkg"));
    }
    return readRpm(root, rpmdbOrNull, keyrings);
  }

  /** Returns true when the root, or {@code rpmdbOrNull}, has an rpmdb of any backend. */
  public static boolean hasRpmdb(Path root, Path rpmdbOrNull) {
    if (rpmdbOrNull != null) {
      return true;
    }
    for (String directory : RPM_DIRECTORIES) {
      for (String name : RPM_DATABASE_FILES) {
        if (Files.isRegularFile(root.resolve(directory).resolve(name))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Reads every rpmdb header's digest; headers that do not verify are named in the notes. */
  public static PackageSet readRpm(Path root, Path rpmdbOrNull, List<Path> keyrings)
      throws TelltaleException {
    HeaderVerifier verifier = new HeaderVerifier(VendorKeys.load(keyrings));
    RpmDatabase database = RpmDatabase.locate(root, rpmdbOrNull);
    List<PackageRecord> packages = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> unverified = new ArrayList<>();
    database.forEachHeader(
        (number, blob, size) -> {
          if (blob == null) {
            notes.add("header #" + number + " is " + size + " bytes, over the limit: not recorded");
            return;
          }
          RpmPackage header = verifier.read(number, blob);
          if (header.isPublicKeyEntry()) {
            return;
          }
          String digest = header.headerSha256();
          if (digest.isEmpty()) {
            // An unparsable header has no region to digest; its whole blob still identifies it.
            digest = sha256(blob);
          }
          packages.add(new PackageRecord(digest, header.nevra()));
          if (!keyrings.isEmpty() && !header.verified()) {
            unverified.add(header.nevra());
          }
        });
    notes.addAll(database.notes());
    if (!unverified.isEmpty()) {
      notes.add(
          unverified.size()
              + " headers do not verify against the given keys and explain nothing: "
              + String.join(", ", unverified));
    }
    return new PackageSet("rpmdb " + database.file(), sorted(packages), notes);
  }

  /**
   * Reads dpkg's installed packages, each keyed by the SHA-256 of its status stanza (its lines as
   * in the file, each ending in a newline) followed by the bytes of {@code info/NAME:ARCH.md5sums}
   * or {@code info/NAME.md5sums}, nothing when neither exists.
   *
   * @throws OutputException if the status or an md5sums file cannot be read
   */
  public static PackageSet readDpkg(Path admindir) throws OutputException {
    Path status = admindir.resolve("status");
    List<PackageRecord> packages = new ArrayList<>();
    for (String stanza : stanzas(status)) {
      String name = field(stanza, "Package");
      String state = field(stanza, "Status");
      if (name.isEmpty() || !state.endsWith(" installed")) {
        continue;
      }
      String arch = field(stanza, "Architecture");
      Path md5sums = admindir.resolve("info/" + name + ":" + arch + ".md5sums");
      if (!Files.exists(md5sums)) {
        md5sums = admindir.resolve("info/" + name + ".md5sums");
      }
      MessageDigest digest = newSha256();
      digest.update(stanza.getBytes(StandardCharsets.UTF_8));
      if (Files.exists(md5sums)) {
        digest.update(readLimited(md5sums));
      }
      String nevra = DPKG_PREFIX + name + ":" + arch + "=" + field(stanza, "Version");
      packages.add(new PackageRecord(HexFormat.of().formatHex(digest.digest()), nevra));
    }
    return new PackageSet(
        "dpkg status " + status + " (unsigned)",
        sorted(packages),
        List.of(
            "dpkg metadata is not signed: the package set holds only if "
                + admindir
                + " was not altered"));
  }

  /** Splits the status file into stanzas, each its lines with a newline after every line. */
  private static List<String> stanzas(Path status) throws OutputException {
    String text = new String(readLimited(status), StandardCharsets.UTF_8);
    List<String> stanzas = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        if (!current.isEmpty()) {
          stanzas.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(line).append('\n');
      }
    }
    if (!current.isEmpty()) {
      stanzas.add(current.toString());
    }
    return stanzas;
  }

  /** Returns a single-line field's value of a stanza, or an empty string. */
  private static String field(String stanza, String name) {
    // Each line of a stanza ends with a newline, so a field starts the stanza or follows one.
    String key = name + ":";
    int start = stanza.startsWith(key) ? 0 : stanza.indexOf("\n" + key);
    if (start < 0) {
      return "";
    }
    int valueStart = stanza.indexOf(':', start) + 1;
    int end = stanza.indexOf('\n', valueStart);
    return stanza.substring(valueStart, end < 0 ? stanza.length() : end).trim();
  }

  private static byte[] readLimited(Path file) throws OutputException {
    try {
      long size = Files.size(file);
      if (size > DpkgVerification.MAX_FILE_BYTES) {
        throw new OutputException(
            file + " is " + size + " bytes, over the limit of " + DpkgVerification.MAX_FILE_BYTES);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OutputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<PackageRecord> sorted(List<PackageRecord> packages) {
    List<PackageRecord> copy = new ArrayList<>(packages);
    copy.sort(
        Comparator.comparing(PackageRecord::nevra).thenComparing(PackageRecord::headerSha256));
    return copy;
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
