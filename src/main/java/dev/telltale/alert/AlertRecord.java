package dev.telltale.alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One sealed alert record, written as one line of printable ASCII:
 *
 * <pre>
 * telltale-alert/1 chain=C seq=N time=T host=H kind=K prev=P data=JSON seal=S
 * </pre>
 *
 * <p>The fields come in this fixed order, separated by single spaces. Only {@code data} may contain
 * spaces, which is why the seal comes last and the parser finds it from the end. The body is the
 * line up to, not including, {@code " seal="}; the seal is the HMAC of the body under the chain key
 * of record N (see {@link SealKey}). {@code prev} repeats the seal of record N-1 (64 zeros for
 * record 0), so a record names its predecessor and can still be checked on its own after a gap.
 */
public record AlertRecord(
    String chainId,
    long sequence,
    Instant time,
    String host,
    String kind,
    String previousSeal,
    String payloadJson,
    String seal) {

  /** Format tag at the start of every record line. */
  public static final String VERSION = "telltale-alert/1";

  /** Maximum length of one record line in bytes, without its line end. */
  public static final int MAX_RECORD_BYTES = 65536;

  /** Maximum length of an event kind. It is also the syslog MSGID, limited to 32 characters. */
  public static final int MAX_KIND_CHARS = 32;

  /** The previous-seal value of record 0. */
  public static final String NO_PREVIOUS_SEAL = "0".repeat(64);

  static final int MAX_HOST_CHARS = 255;

  private static final Pattern CHAIN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern SEAL = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
  private static final Pattern SEQUENCE = Pattern.compile("0|[1-9][0-9]{0,17}");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Validates every field, so that a record can always be written as a parseable line. */
  public AlertRecord {
    if (!CHAIN_ID.matcher(chainId).matches()) {
      throw new IllegalArgumentException("chain id must be 16 lower-case hex digits");
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative: " + sequence);
    }
    time = time.truncatedTo(ChronoUnit.MILLIS);
    if (!isPrintableAscii(host, false) || host.isEmpty() || host.length() > MAX_HOST_CHARS) {
      throw new IllegalArgumentException("host must be 1 to 255 printable ASCII characters");
    }
    if (!KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("invalid event kind: " + kind);
    }
    if (!SEAL.matcher(previousSeal).matches()) {
      throw new IllegalArgumentException("previous seal must be 64 lower-case hex digits");
    }
    if (!isPrintableAscii(payloadJson, true) || !payloadJson.startsWith("{")) {
      throw new IllegalArgumentException("payload must be a JSON object in printable ASCII");
    }
    if (!SEAL.matcher(seal).matches()) {
      throw new IllegalArgumentException("seal must be 64 lower-case hex digits");
    }
  }

  /** Returns whether the kind is valid for a record. */
  public static boolean isValidKind(String kind) {
    return KIND.matcher(kind).matches();
  }

  /** Returns the line without the seal field: the bytes that the seal authenticates. */
  public String body() {
    return VERSION
        + " chain="
        + chainId
        + " seq="
        + sequence
        + " time="
        + TIME.format(time)
        + " host="
        + host
        + " kind="
        + kind
        + " prev="
        + previousSeal
        + " data="
        + payloadJson;
  }

  /** Returns this record with another seal. */
  AlertRecord withSeal(String newSeal) {
    return new AlertRecord(chainId, sequence, time, host, kind, previousSeal, payloadJson, newSeal);
  }

  /** Returns the record as one line, without a line end. */
  public String toLine() {
    return body() + " seal=" + seal;
  }

  /** Returns the seal as bytes. */
  public byte[] sealBytes() {
    return HexFormat.of().parseHex(seal);
  }

  /**
   * Parses one line, without its line end.
   *
   * @throws RecordFormatException if the line is longer than {@link #MAX_RECORD_BYTES}, contains a
   *     character outside printable ASCII, or has a missing or malformed field; the exception names
   *     the column
   */
  public static AlertRecord parse(String line) throws RecordFormatException {
    if (line.length() > MAX_RECORD_BYTES) {
      throw new RecordFormatException(
          MAX_RECORD_BYTES + 1, "record longer than " + MAX_RECORD_BYTES + " bytes");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new RecordFormatException(
            i + 1, String.format("character U+%04X outside printable ASCII", (int) c));
      }
    }
    Cursor cursor = new Cursor(line);
    cursor.expect(VERSION + " ");
    String chainId = cursor.field("chain", CHAIN_ID);
    String sequenceText = cursor.field("seq", SEQUENCE);
    int timeColumn = cursor.column();
    String timeText = cursor.field("time", Pattern.compile("[0-9T:.Z-]{24}"));
    String host = cursor.field("host", Pattern.compile("[!-~]{1,255}"));
    String kind = cursor.field("kind", KIND);
    String previous = cursor.field("prev", SEAL);
    int sealStart = line.lastIndexOf(" seal=");
    if (sealStart < cursor.position) {
      throw new RecordFormatException(line.length() + 1, "missing seal field: record cut short");
    }
    cursor.expect("data=");
    String payload = line.substring(cursor.position, sealStart);
    int payloadColumn = cursor.column();
    String seal = line.substring(sealStart + " seal=".length());
    if (!SEAL.matcher(seal).matches()) {
      throw new RecordFormatException(
          sealStart + 7, "seal is not 64 lower-case hex digits: record cut short or edited");
    }
    Instant time;
    try {
      time = TIME.parse(timeText, Instant::from);
    } catch (DateTimeParseException e) {
      throw new RecordFormatException(timeColumn, "invalid time '" + timeText + "'");
    }
    String problem = JsonPayload.validate(payload);
    if (problem != null) {
      throw new RecordFormatException(payloadColumn, "invalid data: " + problem);
    }
    AlertRecord record =
        new AlertRecord(
            chainId, Long.parseLong(sequenceText), time, host, kind, previous, payload, seal);
    // The seal is checked over the re-written body, so a line must be the one form of its record:
    // otherwise an edit such as day 30 of February, which the time parser moves to another day,
    // would pass.
    if (!record.toLine().equals(line)) {
      throw new RecordFormatException(timeColumn, "not in canonical form: edited");
    }
    return record;
  }

  private static boolean isPrintableAscii(String text, boolean spaceAllowed) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7E || c < 0x20 || (c == 0x20 && !spaceAllowed)) {
        return false;
      }
    }
    return true;
  }

  /** Reads the fixed-order fields from the start of a line. */
  private static final class Cursor {
    private final String line;
    private int position;

    Cursor(String line) {
      this.line = line;
    }

    int column() {
      return position + 1;
    }

    void expect(String text) throws RecordFormatException {
      if (!line.startsWith(text, position)) {
        throw new RecordFormatException(column(), "expected '" + text.strip() + "'");
      }
      position += text.length();
    }

    String field(String name, Pattern pattern) throws RecordFormatException {
      expect(name + "=");
      int end = line.indexOf(' ', position);
      if (end < 0) {
        throw new RecordFormatException(line.length() + 1, "record cut short after " + name);
      }
      String value = line.substring(position, end);
      if (!pattern.matcher(value).matches()) {
        throw new RecordFormatException(column(), "invalid " + name + " value");
      }
      position = end + 1;
      return value;
    }
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
