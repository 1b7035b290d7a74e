package dev.telltale.packages;

import dev.telltale.packages.RpmHeader.IndexEntry;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a package's file list from the signed region of its header. */
final class RpmFileList {
  private RpmFileList() {}

  /** RPMFILE_* bits with the names used in reports, in rpm's order. */
  private static final String[] FLAG_NAMES = {
    "config",
    "doc",
    "icon",
    "missingok",
    "noreplace",
    "specfile",
    "ghost",
    "license",
    "readme",
    "exclude",
    "unpatched",
    "pubkey",
    "artifact"
  };

  static final int FLAG_CONFIG = 1;
  static final int FLAG_DOC = 1 << 1;
  static final int FLAG_MISSINGOK = 1 << 3;
  static final int FLAG_GHOST = 1 << 6;
  static final int FLAG_LICENSE = 1 << 7;
  static final int FLAG_README = 1 << 8;

  /**
   * Returns the files of a package. Every per-file array must have one element per file name.
   *
   * @throws RpmHeaderException if an array has the wrong length or type, or a path is invalid
   */
  // NOTE: headers that list files in OLDFILENAMES (tag 1027, rpm before 4.0) are read as having no
  // files; no supported distribution still ships them.
  static List<RpmFile> read(RpmHeader header, String nevra) throws RpmHeaderException {
    IndexEntry baseEntry = header.signedEntry(RpmTag.BASENAMES);
    if (baseEntry == null) {
      return List.of();
    }
    List<byte[]> baseNames = header.byteStrings(baseEntry);
    int count = baseNames.size();
    List<byte[]> dirNames = header.byteStrings(required(header, RpmTag.DIRNAMES));
    long[] dirIndexes = integers(header, RpmTag.DIRINDEXES, count, null);
    long[] modes = integers(header, RpmTag.FILEMODES, count, null);
    long[] sizes = sizes(header, count);
    long[] rdevs = integers(header, RpmTag.FILERDEVS, count, 0L);
    long[] mtimes = integers(header, RpmTag.FILEMTIMES, count, 0L);
    long[] fileFlags = integers(header, RpmTag.FILEFLAGS, count, 0L);
    long[] verifyFlags = integers(header, RpmTag.FILEVERIFYFLAGS, count, 0xFFFFFFFFL);
    List<String> digests = strings(header, RpmTag.FILEDIGESTS, count);
    List<String> links = strings(header, RpmTag.FILELINKTOS, count);
    List<String> users = strings(header, RpmTag.FILEUSERNAME, count);
    List<String> groups = strings(header, RpmTag.FILEGROUPNAME, count);
    List<String> caps = strings(header, RpmTag.FILECAPS, count);
    String algorithm = digestAlgorithm(header);
    int[] states = states(header, count);

    List<RpmFile> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (dirIndexes[i] >= dirNames.size()) {
        throw new RpmHeaderException(
            "tag 1116: file " + i + " names directory " + dirIndexes[i] + " of " + dirNames.size());
      }
      byte[] dir = dirNames.get((int) dirIndexes[i]);
      byte[] joined = new byte[dir.length + baseNames.get(i).length];
      System.arraycopy(dir, 0, joined, 0, dir.length);
      System.arraycopy(baseNames.get(i), 0, joined, dir.length, baseNames.get(i).length);
      FsPath path = HeaderVerifier.pathOf(joined, baseEntry);
      int mode = (int) modes[i];
      String digest = digests.get(i).toLowerCase(Locale.ROOT);
      PackageFile file =
          new PackageFile(
              nevra,
              path,
              Attribute.modeText(mode),
              sizes[i],
              digest.isEmpty() ? "" : algorithm,
              digest,
              users.get(i),
              groups.get(i),
              mtimes[i],
              links.get(i),
              flagNames((int) fileFlags[i]));
      files.add(
          new RpmFile(
              file,
              mode,
              (int) rdevs[i],
              caps.get(i),
              (int) fileFlags[i],
              (int) verifyFlags[i],
              states[i]));
    }
    return files;
  }

  private static IndexEntry required(RpmHeader header, int tag) throws RpmHeaderException {
    IndexEntry entry = header.signedEntry(tag);
    if (entry == null) {
      throw new RpmHeaderException("tag " + tag + " is missing from the signed region");
    }
    return entry;
  }

  private static long[] integers(RpmHeader header, int tag, int count, Long missing)
      throws RpmHeaderException {
    IndexEntry entry = header.signedEntry(tag);
    if (entry == null) {
      if (missing == null) {
        throw new RpmHeaderException("tag " + tag + " is missing from the signed region");
      }
      long[] values = new long[count];
      java.util.Arrays.fill(values, missing);
      return values;
    }
    long[] values = header.integers(entry);
    requireCount(entry, values.length, count);
    return values;
  }

  private static long[] sizes(RpmHeader header, int count) throws RpmHeaderException {
    if (header.signedEntry(RpmTag.LONGFILESIZES) != null) {
      return integers(header, RpmTag.LONGFILESIZES, count, null);
    }
    return integers(header, RpmTag.FILESIZES, count, null);
  }

  private static List<String> strings(RpmHeader header, int tag, int count)
      throws RpmHeaderException {
    IndexEntry entry = header.signedEntry(tag);
    if (entry == null) {
      return java.util.Collections.nCopies(count, "");
    }
    List<String> values = new ArrayList<>(count);
    for (byte[] raw : header.byteStrings(entry)) {
      values.add(new String(raw, StandardCharsets.UTF_8));
    }
    requireCount(entry, values.size(), count);
    return values;
  }

  private static void requireCount(IndexEntry entry, int actual, int expected)
      throws RpmHeaderException {
    if (actual != expected) {
      throw new RpmHeaderException(
          "tag " + entry.tag() + " has " + actual + " values for " + expected + " files");
    }
  }

  private static String digestAlgorithm(RpmHeader header) throws RpmHeaderException {
    IndexEntry entry = header.signedEntry(RpmTag.FILEDIGESTALGO);
    long code = entry == null ? 1 : header.integers(entry)[0];
    return switch ((int) code) {
      case 1 -> "md5";
      case 2 -> "sha1";
      case 8 -> "sha256";
      case 9 -> "sha384";
      case 10 -> "sha512";
      case 11 -> "sha224";
      default ->
          throw new RpmHeaderException(
              "tag 5011: unknown file digest algorithm " + code + " (known: 1, 2, 8, 9, 10, 11)");
    };
  }

  /** Reads FILESTATES, which is unsigned; a wrong length is treated as no states at all. */
  private static int[] states(RpmHeader header, int count) throws RpmHeaderException {
    int[] states = new int[count];
    java.util.Arrays.fill(states, -1);
    IndexEntry entry = header.unsignedEntry(RpmTag.FILESTATES);
    if (entry == null || entry.count() != count) {
      return states;
    }
    long[] raw = header.integers(entry);
    for (int i = 0; i < count; i++) {
      states[i] = (int) (byte) raw[i];
    }
    return states;
  }

  private static Set<String> flagNames(int flags) {
    Set<String> names = new LinkedHashSet<>();
    for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
      if ((flags & (1 << bit)) != 0) {
        names.add(FLAG_NAMES[bit]);
      }
    }
    return names;
  }

  /** Returns the Java name of a digest algorithm named as in {@link PackageFile}. */
  static String javaDigestName(String algorithm) {
    return switch (algorithm) {
      case "md5" -> "MD5";
      case "sha1" -> "SHA-1";
      case "sha224" -> "SHA-224";
      case "sha256" -> "SHA-256";
      case "sha384" -> "SHA-384";
      case "sha512" -> "SHA-512";
      default -> throw new IllegalArgumentException("unknown digest algorithm " + algorithm);
    };
  }
}
