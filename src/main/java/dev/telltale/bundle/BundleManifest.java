package dev.telltale.bundle;

import dev.telltale.TamperException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The list of every file of a bundle with its SHA-256 digest, in the text format that {@code
 * sha256sum} writes and {@code sha256sum -c} checks: one line per file, 64 lower-case hex digits,
 * two spaces, the path relative to the bundle root, a line feed. Entries are sorted by path and
 * unique, so one bundle has exactly one manifest.
 *
 * <p>The manifest does not list itself nor its signature files, {@link #FILE_NAME} and {@link
 * #SIGNATURE_FILE_NAME}.
 */
public record BundleManifest(List<ManifestEntry> entries) {
  public static final String FILE_NAME = "MANIFEST.sha256";
  public static final String SIGNATURE_FILE_NAME = "MANIFEST.sha256.sig";
  public static final String PUBLIC_KEY_FILE_NAME = "MANIFEST.sha256.pub";

  /** Upper bound on a manifest's size; a bundle has a few hundred files. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  static final int MAX_ENTRIES = 100_000;
  private static final String SEPARATOR = "  ";

  public BundleManifest {
    entries = List.copyOf(entries);
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i - 1).path().compareTo(entries.get(i).path()) >= 0) {
        throw new IllegalArgumentException(
            "manifest paths must be sorted and unique: '"
                + entries.get(i - 1).path()
                + "' before '"
                + entries.get(i).path()
                + "'");
      }
    }
  }

  /** Returns true when {@code path} is one of the files that the manifest never lists. */
  public static boolean isManifestFile(String path) {
    return path.equals(FILE_NAME) || path.equals(SIGNATURE_FILE_NAME);
  }

  /** Encodes the manifest in the sha256sum text format. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 100);
    for (ManifestEntry entry : entries) {
      out.writeBytes(
          (entry.sha256() + SEPARATOR + entry.path() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /**
   * Parses a manifest. Because the manifest is part of the bundle it describes, a malformed one is
   * treated as tampering.
   *
   * @param source the name used in messages, usually the manifest's path
   * @throws TamperException naming the line, if the input is larger than {@value #MAX_BYTES} bytes,
   *     has more than {@value #MAX_ENTRIES} entries, or has a line that is not a digest, two spaces
   *     and a valid path in sorted order
   */
  public static BundleManifest parse(byte[] bytes, String source) throws TamperException {
    if (bytes.length > MAX_BYTES) {
      throw new TamperException(
          source + ": " + bytes.length + " bytes, more than the maximum of " + MAX_BYTES);
    }
    if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
      throw new TamperException(source + ": empty or truncated: the last line has no line feed");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] < 0) {
        throw new TamperException(source + ": non-ASCII byte at offset " + i);
      }
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length > MAX_ENTRIES) {
      throw new TamperException(
          source + ": " + lines.length + " lines, more than the maximum of " + MAX_ENTRIES);
    }
    ManifestEntry[] entries = new ManifestEntry[lines.length];
    for (int i = 0; i < lines.length; i++) {
      entries[i] = parseLine(lines[i], source + ":" + (i + 1));
      if (i > 0 && entries[i - 1].path().compareTo(entries[i].path()) >= 0) {
        throw new TamperException(
            source + ":" + (i + 1) + ": path '" + entries[i].path() + "' is out of order");
      }
    }
    return new BundleManifest(List.of(entries));
  }

  private static ManifestEntry parseLine(String line, String position) throws TamperException {
    int digestEnd = ManifestEntry.SHA256_HEX_LENGTH;
    if (line.length() <= digestEnd + SEPARATOR.length() || !line.startsWith(SEPARATOR, digestEnd)) {
      throw new TamperException(
          position
              + ": expected 64 hex digits, two spaces and a path; found a line of "
              + line.length()
              + " characters");
    }
    String sha256 = line.substring(0, digestEnd);
    String path = line.substring(digestEnd + SEPARATOR.length());
    String problem = ManifestEntry.digestProblem(sha256);
    if (problem == null) {
      problem = ManifestEntry.pathProblem(path);
    }
    if (problem == null && isManifestFile(path)) {
      problem = "the manifest must not list '" + path + "'";
    }
    if (problem != null) {
      throw new TamperException(position + ": " + problem);
    }
    return new ManifestEntry(path, sha256);
  }
}
