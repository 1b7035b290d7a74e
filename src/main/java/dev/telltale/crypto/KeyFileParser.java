package dev.telltale.crypto;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict line parser for the key files; every error names the file and the line number. */
final class KeyFileParser {
  private static final String BASE64 = "([A-Za-z0-9+/]+={0,2})";
  // At most 7 digits, so that Integer.parseInt cannot overflow before the bounds check.
  private static final Pattern KDF_LINE =
      Pattern.compile(
          "kdf argon2id v=19 m=([0-9]{1,7}) t=([0-9]{1,7}) p=([0-9]{1,7}) salt=" + BASE64);
  private static final Pattern CIPHER_LINE = Pattern.compile("cipher aes-256-gcm nonce=" + BASE64);

  private final Path file;
  private final List<String> lines;

  KeyFileParser(Path file, List<String> lines) {
    this.file = file;
    this.lines = lines;
  }

  void expectFormatLine(int number, String formatLine) throws KeyException {
    String line = line(number);
    if (!line.equals(formatLine)) {
      throw error(
          number,
          "expected '"
              + formatLine
              + "', found '"
              + shorten(line)
              + "': not a telltale key of this version");
    }
  }

  void expectLine(int number, String expected, String what) throws KeyException {
    if (!line(number).equals(expected)) {
      throw error(number, "expected '" + expected + "' (" + what + ")");
    }
  }

  KeyFiles.KdfParameters kdfLine(int number) throws KeyException {
    Matcher matcher = KDF_LINE.matcher(line(number));
    if (!matcher.matches()) {
      throw error(number, "expected 'kdf argon2id v=19 m=KIB t=ITERATIONS p=LANES salt=BASE64'");
    }
    int memoryKib = Integer.parseInt(matcher.group(1));
    int iterations = Integer.parseInt(matcher.group(2));
    int parallelism = Integer.parseInt(matcher.group(3));
    byte[] salt = decode(number, matcher.group(4));
    if (parallelism < 1 || parallelism > KeyFiles.MAX_PARALLELISM) {
      throw error(number, "p=" + parallelism + " is outside 1.." + KeyFiles.MAX_PARALLELISM);
    }
    if (iterations < 1 || iterations > KeyFiles.MAX_ITERATIONS) {
      throw error(number, "t=" + iterations + " is outside 1.." + KeyFiles.MAX_ITERATIONS);
    }
    int minMemoryKib = Math.max(KeyFiles.MIN_MEMORY_KIB, 8 * parallelism);
    if (memoryKib < minMemoryKib || memoryKib > KeyFiles.MAX_MEMORY_KIB) {
      throw error(
          number,
          "m=" + memoryKib + " KiB is outside " + minMemoryKib + ".." + KeyFiles.MAX_MEMORY_KIB);
    }
    if (salt.length < 16 || salt.length > 64) {
      throw error(number, "the salt has " + salt.length + " bytes, expected 16 to 64");
    }
    return new KeyFiles.KdfParameters(memoryKib, iterations, parallelism, salt);
  }

  byte[] cipherLine(int number, int nonceBytes) throws KeyException {
    Matcher matcher = CIPHER_LINE.matcher(line(number));
    if (!matcher.matches()) {
      throw error(number, "expected 'cipher aes-256-gcm nonce=BASE64'");
    }
    byte[] nonce = decode(number, matcher.group(1));
    if (nonce.length != nonceBytes) {
      throw error(number, "the nonce has " + nonce.length + " bytes, expected " + nonceBytes);
    }
    return nonce;
  }

  /** Returns the bytes of a line {@code KEYWORD BASE64} that must decode to {@code length}. */
  byte[] base64Field(int number, String keyword, int length) throws KeyException {
    String line = line(number);
    String prefix = keyword + " ";
    if (!line.startsWith(prefix)) {
      throw error(number, "expected '" + keyword + " BASE64'");
    }
    byte[] bytes = decode(number, line.substring(prefix.length()));
    if (bytes.length != length) {
      throw error(number, "'" + keyword + "' has " + bytes.length + " bytes, expected " + length);
    }
    return bytes;
  }

  /** Decodes canonical base64 (with padding, no line breaks); other spellings are rejected. */
  private byte[] decode(int number, String text) throws KeyException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw error(number, "invalid base64");
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
      throw error(number, "base64 is not in canonical form (padding or trailing bits)");
    }
    return bytes;
  }

  /** Shortens a line for a message. Lines are printable ASCII, checked before parsing. */
  private static String shorten(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }

  private String line(int number) {
    return lines.get(number - 1);
  }

  private KeyException error(int number, String message) {
    return new KeyException(file + ":" + number + ": " + message);
  }
}
