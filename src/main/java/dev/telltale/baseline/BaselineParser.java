package dev.telltale.baseline;

import dev.telltale.crypto.VerifyKey;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.PathEscape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one pass over a baseline: the header, then entry lines, then the entry count and the
 * signature line, which must be the last. It computes the SHA-512 of the decompressed bytes before
 * the signature line. Every error names the file and the line.
 */
final class BaselineParser implements AutoCloseable {
  private static final Pattern COUNT = Pattern.compile("entry-count (0|[1-9][0-9]{0,17})");

  /** Base64 length of a 64-byte signature, with padding. */
  private static final int SIGNATURE_BASE64_CHARS = 88;

  private final String name;
  private final GzipMemberReader gzip;
  private final LineReader lines;
  private final MessageDigest sha512;
  private byte[] pending;
  private long entryCount;
  private FsPath previousPath;
  private byte[] signature;

  /**
   * @param digestContent whether to compute {@link #contentSha512()}; a pass that checks the stored
   *     bytes against an already verified pass instead need not
   */
  BaselineParser(InputStream compressed, String name, boolean digestContent)
      throws IOException, BaselineFormatException {
    this.name = name;
    this.gzip = new GzipMemberReader(compressed, name);
    this.lines = new LineReader(gzip, name);
    try {
      this.sha512 = digestContent ? MessageDigest.getInstance("SHA-512") : null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-512", e);
    }
  }

  /** Reads the format line and the header lines. */
  BaselineHeader readHeader() throws IOException, BaselineFormatException {
    String formatLine = textLine(nextSignedLine(), "the format line");
    if (!formatLine.startsWith(BaselineFormat.FORMAT_PREFIX)) {
      throw error(
          "not a telltale baseline: the first line is not '" + BaselineFormat.formatLine() + "'");
    }
    if (!formatLine.equals(BaselineFormat.formatLine())) {
      throw error(
          "unknown baseline format version '"
              + quote(formatLine.substring(BaselineFormat.FORMAT_PREFIX.length()))
              + "'; this telltale reads version "
              + BaselineHeader.CURRENT_VERSION
              + ": use the telltale release that wrote it");
    }
    Map<String, String> values = new HashMap<>();
    for (String key : BaselineFormat.HEADER_KEYS) {
      String line = textLine(nextSignedLine(), "header line '" + key + "'");
      String found = line.indexOf(' ') < 0 ? line : line.substring(0, line.indexOf(' '));
      if (!found.equals(key)) {
        throw error(
            "expected header key '"
                + key
                + "', found '"
                + quote(found)
                + "'"
                + (BaselineFormat.HEADER_KEYS.contains(found)
                        || found.equals(BaselineFormat.PACKAGE)
                    ? " (header lines are out of order)"
                    : " (known keys: "
                        + String.join(", ", BaselineFormat.HEADER_KEYS)
                        + ", package)"));
      }
      if (line.length() == key.length()) {
        throw error("header line '" + key + "' has no value: expected '" + key + " VALUE'");
      }
      values.put(key, line.substring(key.length() + 1));
    }
    List<BaselineHeader.PackageRecord> packages = new ArrayList<>();
    while (true) {
      byte[] raw = nextSignedLine();
      if (raw == null
          || raw.length == 0
          || raw[0] == '/'
          || startsWith(raw, BaselineFormat.ENTRY_COUNT)) {
        pending = raw;
        break;
      }
      String line = textLine(raw, "a header line");
      if (!line.startsWith(BaselineFormat.PACKAGE + " ")) {
        throw error(
            "unknown header line '"
                + quote(line)
                + "' (after key-fingerprint only 'package' lines may follow)");
      }
      if (packages.size() == BaselineFormat.MAX_PACKAGES) {
        throw error(
            "more than "
                + BaselineFormat.MAX_PACKAGES
                + " package lines: no system has that many packages, so the file is not a"
                + " baseline telltale wrote");
      }
      packages.add(parsePackage(line));
    }
    return buildHeader(values, packages);
  }

  private BaselineHeader buildHeader(
      Map<String, String> values, List<BaselineHeader.PackageRecord> packages)
      throws BaselineFormatException {
    Instant created;
    String createdText = values.get(BaselineFormat.CREATED);
    try {
      created = Instant.parse(createdText);
    } catch (DateTimeParseException e) {
      throw headerError(BaselineFormat.CREATED, createdText, "an ISO-8601 UTC time");
    }
    if (!created.toString().equals(createdText)) {
      throw headerError(BaselineFormat.CREATED, createdText, "an ISO-8601 UTC time");
    }
    String host = BaselineFormat.unescapeValue(values.get(BaselineFormat.HOST));
    if (host == null) {
      throw headerError(
          BaselineFormat.HOST, values.get(BaselineFormat.HOST), "an escaped host name");
    }
    String rootText = values.get(BaselineFormat.ROOT);
    FsPath root = parsePath(rootText);
    if (root == null) {
      throw headerError(BaselineFormat.ROOT, rootText, "an escaped absolute path");
    }
    String policy = values.get(BaselineFormat.POLICY_SHA256);
    if (!BaselineHeader.isSha256Hex(policy)) {
      throw headerError(BaselineFormat.POLICY_SHA256, policy, "64 lower-case hex digits");
    }
    String tool = BaselineFormat.unescapeValue(values.get(BaselineFormat.TOOL_VERSION));
    if (tool == null) {
      throw headerError(
          BaselineFormat.TOOL_VERSION,
          values.get(BaselineFormat.TOOL_VERSION),
          "an escaped version");
    }
    String fingerprint = values.get(BaselineFormat.KEY_FINGERPRINT);
    if (!VerifyKey.isFingerprint(fingerprint)) {
      throw headerError(
          BaselineFormat.KEY_FINGERPRINT, fingerprint, "SHA256: and 43 base64 characters");
    }
    return new BaselineHeader(
        BaselineHeader.CURRENT_VERSION, created, host, root, policy, tool, fingerprint, packages);
  }

  private BaselineHeader.PackageRecord parsePackage(String line) throws BaselineFormatException {
    String[] parts = line.split(" ", -1);
    String nevra = parts.length == 3 ? BaselineFormat.unescapeValue(parts[2]) : null;
    if (parts.length != 3 || !BaselineHeader.isSha256Hex(parts[1]) || nevra == null) {
      throw error("expected 'package SHA256-HEX ESCAPED-NEVRA', found '" + quote(line) + "'");
    }
    return new BaselineHeader.PackageRecord(parts[1], nevra);
  }

  /**
   * Advances over one entry line without parsing it beyond its first byte. Returns false after the
   * last entry, once the entry count and the signature line have been read and checked.
   */
  boolean skipEntry() throws IOException, BaselineFormatException {
    if (pending != null && pending.length > 0 && pending[0] == '/') {
      entryCount++;
      pending = nextSignedLine();
      return true;
    }
    readTrailer();
    return false;
  }

  /**
   * Returns the next entry, or null after the last one, once the entry count and the signature line
   * have been read and checked.
   */
  Entry nextEntry() throws IOException, BaselineFormatException {
    if (pending == null || pending.length == 0 || pending[0] != '/') {
      readTrailer();
      return null;
    }
    Entry entry = parseEntry(textLine(pending, "an entry line"));
    if (previousPath != null && entry.path().compareTo(previousPath) <= 0) {
      throw error(
          "entry "
              + shorten(entry.path().toString())
              + (entry.path().equals(previousPath)
                  ? " appears twice"
                  : " is out of canonical order")
              + " (it follows "
              + shorten(previousPath.toString())
              + ")");
    }
    previousPath = entry.path();
    entryCount++;
    pending = nextSignedLine();
    return entry;
  }

  private Entry parseEntry(String line) throws BaselineFormatException {
    String[] tokens = line.split(" ", -1);
    FsPath path = parsePath(tokens[0]);
    if (path == null) {
      throw error("invalid path '" + quote(tokens[0]) + "': expected an escaped absolute path");
    }
    Map<Attribute, String> values = new EnumMap<>(Attribute.class);
    EntryType type = null;
    String entryError = null;
    int previousOrdinal = -1;
    for (int i = 1; i < tokens.length; i++) {
      String token = tokens[i];
      int equals = token.indexOf('=');
      if (equals <= 0) {
        throw error("field " + i + " '" + quote(token) + "' is not NAME=VALUE");
      }
      if (entryError != null) {
        throw error("field '" + quote(token) + "' follows the error field, which must be last");
      }
      String fieldName = token.substring(0, equals);
      String value = BaselineFormat.unescapeValue(token.substring(equals + 1));
      if (value == null) {
        throw error("field '" + quote(fieldName) + "' has an invalid escaped value");
      }
      if (fieldName.equals(BaselineFormat.ERROR_FIELD)) {
        entryError = value;
        continue;
      }
      Attribute attribute = Attribute.fromPolicyName(fieldName);
      if (attribute == null) {
        throw error(
            "unknown field '"
                + quote(fieldName)
                + "' (known: "
                + Attribute.knownNames()
                + ", error)");
      }
      if (attribute.ordinal() <= previousOrdinal) {
        throw error("field '" + fieldName + "' is repeated or out of attribute order");
      }
      if (previousOrdinal < 0 && attribute != Attribute.TYPE) {
        throw error("the first field must be 'type', found '" + fieldName + "'");
      }
      previousOrdinal = attribute.ordinal();
      if (attribute == Attribute.TYPE) {
        type = EntryType.fromLabel(value);
        if (type == null) {
          throw error("unknown entry type '" + quote(value) + "'");
        }
      } else {
        values.put(attribute, value);
      }
    }
    if (type == null) {
      throw error("entry " + quote(tokens[0]) + " has no 'type' field");
    }
    return new Entry(path, type, values, entryError);
  }

  /** Reads and checks the entry count line, then the signature line. */
  private void readTrailer() throws IOException, BaselineFormatException {
    if (pending == null) {
      throw error("the baseline ends without an entry count: the file is truncated");
    }
    String countLine = textLine(pending, "the entry count");
    if (!COUNT.matcher(countLine).matches()) {
      throw error("expected an entry line or 'entry-count N', found '" + quote(countLine) + "'");
    }
    long stated = Long.parseLong(countLine.substring(BaselineFormat.ENTRY_COUNT.length() + 1));
    if (stated != entryCount) {
      throw error(
          "the entry count line states "
              + stated
              + ", but the file has "
              + entryCount
              + " entries");
    }
    signature = readSignatureLine();
    pending = null;
  }

  /** Reads the signature line and checks that nothing follows it. */
  private byte[] readSignatureLine() throws IOException, BaselineFormatException {
    byte[] raw = lines.next();
    if (raw == null) {
      throw error("the signature line is missing: the file is truncated");
    }
    String line = textLine(raw, "the signature line");
    if (!line.startsWith(BaselineFormat.SIGNATURE_PREFIX)
        || line.length() != BaselineFormat.SIGNATURE_PREFIX.length() + SIGNATURE_BASE64_CHARS) {
      throw error("expected 'signature ed25519 BASE64' with a 64-byte signature");
    }

    String base64 = line.substring(BaselineFormat.SIGNATURE_PREFIX.length());
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw error("the signature is not valid base64");
    }
    if (decoded.length != 64 || !Base64.getEncoder().encodeToString(decoded).equals(base64)) {
      throw error("the signature is not 64 bytes in canonical base64");
    }

    if (lines.next() != null) {
      throw error("data after the signature line: the file was altered");
    }
    return decoded;
  }

  /** Returns the signature, after the last entry has been read. */
  byte[] signature() {
    return signature.clone();
  }

  /** Returns the SHA-512 of every decompressed byte before the signature line, at the end. */
  byte[] contentSha512() {
    if (sha512 == null) {
      throw new IllegalStateException("this parser does not digest the content");
    }
    return sha512.digest();
  }

  /** Returns the number of entries read or skipped so far. */
  long entryCount() {
    return entryCount;
  }

  private byte[] nextSignedLine() throws IOException, BaselineFormatException {
    byte[] line = lines.next();
    if (line != null && sha512 != null) {
      sha512.update(line);
      sha512.update((byte) '\n');
    }
    return line;
  }

  private String textLine(byte[] raw, String what) throws BaselineFormatException {
    if (raw == null) {
      throw new BaselineFormatException(name + " is truncated: it ends before " + what);
    }
    String text = BaselineFormat.decodeUtf8(raw);
    if (text == null) {
      throw error("the line is not valid UTF-8");
    }
    return text;
  }

  private static FsPath parsePath(String token) {
    if (token == null || token.isEmpty() || token.charAt(0) != '/') {
      return null;
    }
    if (BaselineFormat.isPrintableAsciiWithoutPercent(token)) {
      // Nothing to unescape; the text form is canonical unless it has an empty name.
      boolean canonical = token.length() == 1 || (!token.endsWith("/") && !token.contains("//"));
      try {
        return canonical ? FsPath.ofBytes(token.getBytes(StandardCharsets.US_ASCII)) : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    try {
      FsPath path = FsPath.parse(token);
      return path.toString().equals(token) ? path : null;
    } catch (PathEscape.MalformedEscapeException e) {
      return null;
    }
  }

  private static boolean startsWith(byte[] raw, String prefix) {
    byte[] bytes = prefix.getBytes(StandardCharsets.US_ASCII);
    return raw.length >= bytes.length
        && Arrays.equals(raw, 0, bytes.length, bytes, 0, bytes.length);
  }

  /**
   * Escapes and shortens text from the file for a message, so that an error never repeats a 1 MiB
   * line or sends control characters to a terminal.
   */
  static String quote(String text) {
    return shorten(PathEscape.escape(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String shorten(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  private BaselineFormatException headerError(String key, String value, String expected) {
    return error("invalid '" + key + "' value '" + quote(value) + "': expected " + expected);
  }

  private BaselineFormatException error(String message) {
    return new BaselineFormatException(name + ":" + lines.lineNumber() + ": " + message);
  }

  @Override
  public void close() {
    gzip.close();
  }
}
