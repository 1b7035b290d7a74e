package dev.telltale.scan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The one reversible escape for names in every text form: {@code %XX} with two upper-case hex
 * digits for each byte below 0x21, for 0x7F, for {@code %}, for each byte of an invalid UTF-8
 * sequence, and for each byte of a valid sequence that encodes an invisible or reordering code
 * point (C1 controls, line and paragraph separators, bidirectional controls), so that a report
 * cannot be made to show one name while meaning another. All other valid UTF-8 stays readable.
 */
public final class PathEscape {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final Charset UTF_8 = StandardCharsets.UTF_8;

  private PathEscape() {}

  /** Thrown by {@link #unescape} for a {@code %} not followed by two hex digits. */
  public static final class MalformedEscapeException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEscapeException(String message) {
      super(message);
    }
  }

  /** Escapes raw name bytes into their text form. */
  public static String escape(byte[] bytes) {
    return escape(bytes, 0, bytes.length, "");
  }

  /**
   * Escapes raw bytes, also escaping each ASCII character in {@code extra}; list formats use this
   * for their separators.
   */
  public static String escape(byte[] bytes, int from, int to, String extra) {
    StringBuilder out = new StringBuilder(to - from + 8);
    int i = from;
    while (i < to) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        if (b < 0x21 || b == 0x7F || b == '%' || extra.indexOf(b) >= 0) {
          appendHex(out, b);
        } else {
          out.append((char) b);
        }
        i++;
        continue;
      }
      int length = validSequenceLength(bytes, i, to);
      if (length == 0) {
        appendHex(out, b);
        i++;
        continue;
      }
      int codePoint = decode(bytes, i, length);
      if (isInvisible(codePoint)) {
        for (int k = 0; k < length; k++) {
          appendHex(out, bytes[i + k] & 0xFF);
        }
      } else {
        out.appendCodePoint(codePoint);
      }
      i += length;
    }
    return out.toString();
  }

  /** Decodes a text form back into the bytes it stands for. Accepts upper- and lower-case hex. */
  public static byte[] unescape(String text) throws MalformedEscapeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new MalformedEscapeException(
              "'%' at offset " + i + " is not followed by two hex digits; write '%25' for '%'");
        }
        int high = hexValue(text.charAt(i + 1));
        int low = hexValue(text.charAt(i + 2));
        if (high < 0 || low < 0) {
          throw new MalformedEscapeException(
              "'%"
                  + text.substring(i + 1, i + 3)
                  + "' at offset "
                  + i
                  + " is not a hex escape; write '%25' for '%'");
        }
        out.write(high << 4 | low);
        i += 3;
        continue;
      }
      if (c < 0x80) {
        out.write(c);
        i++;
        continue;
      }
      int codePoint = text.codePointAt(i);
      byte[] encoded = new String(Character.toChars(codePoint)).getBytes(UTF_8);
      out.write(encoded, 0, encoded.length);
      i += Character.charCount(codePoint);
    }
    return out.toByteArray();
  }

  /** Returns the value of an ASCII hex digit, or -1: other scripts' digits are not accepted. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static void appendHex(StringBuilder out, int b) {
    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
  }

  /** Returns the length of the valid, shortest-form UTF-8 sequence at {@code i}, or 0. */
  private static int validSequenceLength(byte[] bytes, int i, int to) {
    int b = bytes[i] & 0xFF;
    int length;
    int min;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + length > to) {
      return 0;
    }
    for (int k = 1; k < length; k++) {
      if ((bytes[i + k] & 0xC0) != 0x80) {
        return 0;
      }
    }
    int codePoint = decode(bytes, i, length);
    if (codePoint < min || codePoint > 0x10FFFF) {
      return 0;
    }
    if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
      return 0;
    }
    return length;
  }

  private static int decode(byte[] bytes, int i, int length) {
    int codePoint = bytes[i] & (0xFF >> (length + 1));
    for (int k = 1; k < length; k++) {
      codePoint = codePoint << 6 | (bytes[i + k] & 0x3F);
    }
    return codePoint;
  }

  /**
   * Returns true for a code point that the escape writes as {@code %XX} bytes although it is valid
   * UTF-8: controls, format characters such as bidirectional overrides, separators, unassigned and
   * private-use code points.
   */
  public static boolean isInvisible(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SPACE_SEPARATOR
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE;
  }
}
