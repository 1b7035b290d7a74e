package dev.telltale.packages;

import dev.telltale.OutputException;
import dev.telltale.scan.FsPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares installed files with dpkg's {@code info/*.md5sums} and the conffile digests in {@code
 * status}, honouring diversions. dpkg metadata is not signed, so the result holds only if the admin
 * directory was not altered; the report says so.
 */
public final class DpkgVerification {
  /** Admin files larger than this are rejected, far above any real status file. */
  static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

  private DpkgVerification() {}

  /**
   * Runs the verification.
   *
   * @param root the installed tree
   * @param admindir dpkg's admin directory, usually {@code ROOT/var/lib/dpkg}
   * @throws OutputException if the status file cannot be read
   */
  public static VerifyReport run(Path root, Path admindir) throws OutputException {
    Map<String, String[]> diversions = readDiversions(admindir.resolve("diversions"));
    RootFileSystem files = new RootFileSystem(root);
    List<PackageResult> results = new ArrayList<>();
    for (Map<String, String> stanza : readStatus(admindir.resolve("status"))) {
      String status = stanza.getOrDefault("Status", "");
      if (!status.endsWith(" installed")) {
        continue;
      }
      String name = stanza.getOrDefault("Package", "");
      String arch = stanza.getOrDefault("Architecture", "");
      String id = name + ":" + arch + "=" + stanza.getOrDefault("Version", "");
      List<FileResult> reported = new ArrayList<>();
      int checked = 0;
      Map<String, String> expected = new LinkedHashMap<>();
      Path md5sums = admindir.resolve("info/" + name + ":" + arch + ".md5sums");
      if (!Files.exists(md5sums)) {
        md5sums = admindir.resolve("info/" + name + ".md5sums");
      }
      readMd5sums(md5sums, expected);
      Set<String> conffiles = new java.util.HashSet<>();
      for (String line : stanza.getOrDefault("Conffiles", "").split("\n")) {
        String[] fields = line.trim().split(" ");
        if (fields.length >= 2 && fields[0].startsWith("/")) {
          boolean obsolete = fields.length > 2 && fields[2].equals("obsolete");
          if (!obsolete && !fields[1].equals("newconffile")) {
            expected.put(fields[0], fields[1]);
            conffiles.add(fields[0]);
          }
        }
      }
      for (Map.Entry<String, String> entry : expected.entrySet()) {
        checked++;
        FileResult result =
            verify(files, id, name, entry.getKey(), entry.getValue(), conffiles, diversions);
        if (result.status() != FileResult.Status.OK || !result.notes().isEmpty()) {
          reported.add(result);
        }
      }
      results.add(new PackageResult(id, -1, "", "", List.of(), checked, reported));
    }
    return new VerifyReport(
        "dpkg",
        admindir.toString(),
        List.of(
            "dpkg metadata is not signed: these results hold only if "
                + admindir
                + " was not altered"),
        List.of(),
        false,
        results);
  }

  private static FileResult verify(
      RootFileSystem files,
      String id,
      String packageName,
      String pathText,
      String md5,
      Set<String> conffiles,
      Map<String, String[]> diversions) {
    List<String> notes = new ArrayList<>();
    String onDisk = pathText;
    String[] diversion = diversions.get(pathText);
    if (diversion != null && !diversion[1].equals(packageName)) {
      onDisk = diversion[0];
      notes.add("diverted to " + onDisk + " by " + diversion[1]);
    }
    Set<String> flags = conffiles.contains(pathText) ? Set.of("config") : Set.of();
    FsPath path = FsPath.of(pathText);
    PackageFile file =
        new PackageFile(
            id, path, "", 0, "md5", md5.toLowerCase(java.util.Locale.ROOT), "", "", -1, "", flags);
    char marker = FileVerifier.marker(file);
    Map<VerifyAttribute, String> actual = new EnumMap<>(VerifyAttribute.class);
    try {
      Path host = files.resolve(FsPath.of(onDisk));
      RootFileSystem.Stat stat = files.lstat(host, true);
      if (stat == null) {
        return new FileResult(
            file, marker, FileResult.Status.MISSING, Set.of(), Set.of(), actual, notes);
      }
      String digest = files.digest(host, "md5");
      if (digest.equals(file.digestHex())) {
        return new FileResult(
            file, marker, FileResult.Status.OK, Set.of(), Set.of(), actual, notes);
      }
      actual.put(VerifyAttribute.DIGEST, digest);
      return new FileResult(
          file,
          marker,
          FileResult.Status.CHANGED,
          EnumSet.of(VerifyAttribute.DIGEST),
          Set.of(),
          actual,
          notes);
    } catch (IOException | IllegalArgumentException e) {
      notes.add("cannot read: " + e.getMessage());
      return new FileResult(
          file,
          marker,
          FileResult.Status.UNREADABLE,
          Set.of(),
          EnumSet.of(VerifyAttribute.DIGEST),
          actual,
          notes);
    }
  }

  /** Parses the deb822 paragraphs of {@code status}; continuation lines join with newlines. */
  static List<Map<String, String>> readStatus(Path status) throws OutputException {
    List<Map<String, String>> stanzas = new ArrayList<>();
    try {
      checkSize(status);
      try (BufferedReader reader = Files.newBufferedReader(status, StandardCharsets.UTF_8)) {
        Map<String, String> stanza = new HashMap<>();
        String field = null;
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isEmpty()) {
            if (!stanza.isEmpty()) {
              stanzas.add(stanza);
            }
            stanza = new HashMap<>();
            field = null;
          } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            if (field != null) {
              stanza.merge(field, "\n" + line, String::concat);
            }
          } else {
            int colon = line.indexOf(':');
            if (colon > 0) {
              field = line.substring(0, colon);
              stanza.put(field, line.substring(colon + 1).trim());
            }
          }
        }
        if (!stanza.isEmpty()) {
          stanzas.add(stanza);
        }
      }
    } catch (NoSuchFileException e) {
      throw new OutputException("dpkg status file " + status + " not found: check --admindir", e);
    } catch (IOException e) {
      throw new OutputException("cannot read dpkg status file " + status + ": " + e, e);
    }
    return stanzas;
  }

  private static void readMd5sums(Path file, Map<String, String> expected) throws OutputException {
    if (!Files.exists(file)) {
      return;
    }
    try {
      checkSize(file);
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.length() > 34 && line.charAt(32) == ' ') {
          expected.put("/" + line.substring(34), line.substring(0, 32));
        }
      }
    } catch (IOException e) {
      throw new OutputException("cannot read " + file + ": " + e, e);
    }
  }

  /** Reads {@code diversions}: groups of three lines, original path, diverted path, package. */
  private static Map<String, String[]> readDiversions(Path file) throws OutputException {
    Map<String, String[]> diversions = new HashMap<>();
    if (!Files.exists(file)) {
      return diversions;
    }
    try {
      checkSize(file);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i + 2 < lines.size(); i += 3) {
        diversions.put(lines.get(i), new String[] {lines.get(i + 1), lines.get(i + 2)});
      }
    } catch (IOException e) {
      throw new OutputException("cannot read " + file + ": " + e, e);
    }
    return diversions;
  }

  private static void checkSize(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(file + " is " + size + " bytes, over the limit of " + MAX_FILE_BYTES);
    }
  }
}
