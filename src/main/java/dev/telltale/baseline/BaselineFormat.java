package dev.telltale.baseline;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.PathEscape;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The text of baseline lines, shared by the writer and the reader. docs/formats.md describes the
 * format; this class is its only encoder.
 */
final class BaselineFormat {
  /**
   * Maximum package lines in a header. The header is read before the signature can be checked, so
   * this bounds the memory an unsigned file can take; Fedora and Debian installs have a few
   * thousand packages.
   */
  static final int MAX_PACKAGES = 200_000;

  static final String FORMAT_PREFIX = "telltale-baseline ";
  static final String CREATED = "created";
  static final String HOST = "host";
  static final String ROOT = "root";
  static final String POLICY_SHA256 = "policy-sha256";
  static final String TOOL_VERSION = "tool-version";
  static final String KEY_FINGERPRINT = "key-fingerprint";
  static final String PACKAGE = "package";

  /** Header keys in the order in which they must appear; {@link #PACKAGE} lines follow. */
  static final List<String> HEADER_KEYS =
      List.of(CREATED, HOST, ROOT, POLICY_SHA256, TOOL_VERSION, KEY_FINGERPRINT);

  static final String ERROR_FIELD = "error";
  static final String ENTRY_COUNT = "entry-count";
  static final String SIGNATURE_PREFIX = "signature ed25519 ";

  /**
   * Prefix of the message that the Ed25519 signature covers; the SHA-512 digest follows. It keeps a
   * baseline signature from being valid for anything else that the same key might sign.
   */
  static final byte[] SIGNED_MESSAGE_PREFIX =
      "telltale-baseline-sha512:".getBytes(StandardCharsets.US_ASCII);

  private BaselineFormat() {}

  static String formatLine() {
    return FORMAT_PREFIX + BaselineHeader.CURRENT_VERSION;
  }

  static List<String> headerLines(BaselineHeader header) {
    List<String> lines = new ArrayList<>();
    lines.add(formatLine());
    lines.add(CREATED + " " + header.created());
    lines.add(HOST + " " + escapeValue(header.host()));
    lines.add(ROOT + " " + header.root());
    lines.add(POLICY_SHA256 + " " + header.policySha256());
    lines.add(TOOL_VERSION + " " + escapeValue(header.toolVersion()));
    lines.add(KEY_FINGERPRINT + " " + header.keyFingerprint());
    for (BaselineHeader.PackageRecord record : header.packages()) {
      lines.add(PACKAGE + " " + record.headerSha256() + " " + escapeValue(record.nevra()));
    }
    return lines;
  }

  static String entryLine(Entry entry) {
    StringBuilder line = new StringBuilder(256);
    line.append(entry.path());
    // The entry's map is an EnumMap, so it iterates in Attribute order.
    for (Map.Entry<Attribute, String> value : entry.values().entrySet()) {
      line.append(' ').append(value.getKey().policyName()).append('=');
      line.append(escapeValue(value.getValue()));
    }
    if (entry.hasError()) {
      line.append(' ').append(ERROR_FIELD).append('=').append(escapeValue(entry.error()));
    }
    return line.toString();
  }

  static String countLine(long count) {
    return ENTRY_COUNT + " " + count;
  }

  static String signatureLine(byte[] signature) {
    return SIGNATURE_PREFIX + Base64.getEncoder().encodeToString(signature);
  }

  /** Returns the message that is signed: the fixed prefix, then the SHA-512 digest. */
  static byte[] signedMessage(byte[] sha512) {
    byte[] message = new byte[SIGNED_MESSAGE_PREFIX.length + sha512.length];
    System.arraycopy(SIGNED_MESSAGE_PREFIX, 0, message, 0, SIGNED_MESSAGE_PREFIX.length);
    System.arraycopy(sha512, 0, message, SIGNED_MESSAGE_PREFIX.length, sha512.length);
    return message;
  }

  /**
   * Escapes a value so that it contains no whitespace: its UTF-8 bytes in the path escape.
   *
   * @throws IllegalArgumentException if the value contains an unpaired surrogate, which has no
   *     UTF-8 form and so could not be read back
   */
  static String escapeValue(String value) {
    if (isPrintableAsciiWithoutPercent(value)) {
      // Most values (numbers, times, hex digests) escape to themselves; skip the encoder.
      return value;
    }
    ByteBuffer encoded;
    try {
      encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(value));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "value '" + value + "' contains an unpaired surrogate and cannot be stored", e);
    }
    return PathEscape.escape(encoded.array(), 0, encoded.limit(), "");
  }

  static boolean isPrintableAsciiWithoutPercent(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '%') {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes an escaped value. Returns null if the escape is malformed, is not in the one form that
   * {@link #escapeValue} writes, or stands for bytes that are not UTF-8.
   */
  static String unescapeValue(String token) {
    if (isPrintableAsciiWithoutPercent(token)) {
      // Such a token is its own escape, as escapeValue writes it; most values are like this.
      return token;
    }
    byte[] bytes;
    try {
      bytes = PathEscape.unescape(token);
    } catch (PathEscape.MalformedEscapeException e) {
      return null;
    }
    if (!PathEscape.escape(bytes).equals(token)) {
      return null;
    }
    return decodeUtf8(bytes);
  }

  /** Decodes strict UTF-8, or returns null. */
  static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
