package dev.telltale.baseline;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.telltale.TelltaleException;
import dev.telltale.crypto.SigningKey;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Baselines for tests: sample headers and entries, and helpers to read and re-sign files. */
final class TestBaselines {
  static final String POLICY_SHA256 = "ab".repeat(32);

  private TestBaselines() {}

  static BaselineHeader header(SigningKey key) {
    return new BaselineHeader(
        BaselineHeader.CURRENT_VERSION,
        Instant.parse("2026-01-02T03:04:05.123456789Z"),
        "dom0 host",
        FsPath.of("/mnt/clone 1"),
        POLICY_SHA256,
        "1.0-test",
        key.verifyKey().fingerprint(),
        List.of(
            new BaselineHeader.PackageRecord("cd".repeat(32), "bash-0:5.2.26-3.fc41.x86_64"),
            new BaselineHeader.PackageRecord("ef".repeat(32), "kernel-0:6.6.1-1.qubes.x86_64")));
  }

  /** Returns a value for every attribute, with spaces, escapes, newlines and empty values. */
  static Map<Attribute, String> everyAttribute() {
    Map<Attribute, String> values = new EnumMap<>(Attribute.class);
    for (Attribute attribute : Attribute.values()) {
      values.put(attribute, attribute.policyName() + "-value");
    }
    values.put(Attribute.MODE, "0644");
    values.put(Attribute.TARGET, "../x%20y %25 literal");
    values.put(Attribute.XATTRS, "");
    values.put(Attribute.CAPS, "");
    values.put(Attribute.SELINUX, "system_u:object_r:etc_t:s0\nsecond line");
    values.put(Attribute.USER, "jos\u00e9\u202e=x");
    values.put(Attribute.SHA256, "00".repeat(32));
    return values;
  }

  /** Returns entries in canonical order, with awkward names, an error and empty values. */
  static List<Entry> sampleEntries() {
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(FsPath.ROOT, EntryType.DIRECTORY, Map.of(Attribute.MODE, "0755"), null));
    entries.add(new Entry(FsPath.of("/etc"), EntryType.DIRECTORY, Map.of(), null));
    entries.add(new Entry(FsPath.of("/etc/100%"), EntryType.FILE, everyAttribute(), null));
    entries.add(
        new Entry(
            FsPath.ofBytes("/etc/bad\u00ff\u00fe".getBytes(ISO_8859_1)),
            EntryType.FILE,
            Map.of(Attribute.SIZE, "0"),
            null));
    entries.add(
        new Entry(
            FsPath.of("/etc/new\nline"),
            EntryType.UNKNOWN,
            Map.of(),
            "cannot stat: Permission denied (errno 13)"));
    entries.add(new Entry(FsPath.of("/etc/with space"), EntryType.SYMLINK, Map.of(), ""));
    entries.add(new Entry(FsPath.of("/etc-1"), EntryType.FIFO, Map.of(Attribute.MODE, ""), null));
    entries.sort((a, b) -> a.path().compareTo(b.path()));
    return entries;
  }

  static void write(Path target, SigningKey key, List<Entry> entries) throws TelltaleException {
    try (BaselineWriter writer = BaselineWriter.create(target, header(key), key)) {
      for (Entry entry : entries) {
        writer.write(entry);
      }
      writer.commit();
    }
  }

  static List<Entry> readAll(Path file, VerifyKey key) throws TelltaleException {
    try (BaselineReader reader = BaselineReader.open(file, key);
        EntryStream entries = reader.entries()) {
      List<Entry> result = new ArrayList<>();
      for (Entry entry = entries.next(); entry != null; entry = entries.next()) {
        result.add(entry);
      }
      return result;
    }
  }

  /** Reads a whole baseline and returns 0, or the exit code of the failure. */
  static int exitCodeOfReading(Path file, VerifyKey key) {
    try {
      readAll(file, key);
      return 0;
    } catch (TelltaleException e) {
      return e.exitCode().code();
    }
  }

  static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  static void gzip(Path file, byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    Files.write(file, bytes.toByteArray());
  }

  /** Replaces the signature line of {@code content} with a signature by {@code key}. */
  static String resign(String content, SigningKey key) throws Exception {
    List<String> lines = new ArrayList<>(Arrays.asList(content.split("\n", -1)));
    // The split leaves an empty string after the final newline, then the signature line.
    lines.removeLast();
    lines.removeLast();
    String signed = String.join("\n", lines) + "\n";
    byte[] digest = MessageDigest.getInstance("SHA-512").digest(signed.getBytes(UTF_8));
    byte[] signature = key.sign(BaselineFormat.signedMessage(digest));
    return signed + BaselineFormat.signatureLine(signature) + "\n";
  }

  static void writeContent(Path file, String content) throws IOException {
    gzip(file, content.getBytes(UTF_8));
  }
}
