package dev.telltale.alert;

import dev.telltale.crypto.KeyException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key k(i) of a forward-secure sealing chain. The next key is HMAC-SHA256(k(i), "telltale
 * evolve"), a one-way step, so k(i) does not reveal any earlier key. Record i is sealed under
 * HMAC-SHA256(k(i), "telltale seal"), a separate derivation so that a seal never reveals the key
 * material of the next step.
 *
 * <p>The key bytes never appear in {@link #toString()} or in exception messages. {@link #destroy()}
 * overwrites them; callers destroy each key as soon as its successor exists.
 */
public final class SealKey {
  /** Size of the initial key k0: 128 bits, short enough to write down. */
  static final int INITIAL_KEY_BYTES = 16;

  private static final int MAX_KEY_BYTES = 64;
  private static final byte[] EVOLVE_LABEL = "telltale evolve".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEAL_LABEL = "telltale seal".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHAIN_LABEL = "telltale chain".getBytes(StandardCharsets.US_ASCII);
  private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int GROUP_CHARS = 4;

  private final byte[] bytes;

  private SealKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Creates a fresh initial key k0 from the given random source. */
  static SealKey generate(SecureRandom random) {
    byte[] bytes = new byte[INITIAL_KEY_BYTES];
    random.nextBytes(bytes);
    return new SealKey(bytes);
  }

  /** Wraps a copy of raw key bytes read from the sealing state. */
  static SealKey ofBytes(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("seal key length out of range: " + bytes.length);
    }
    return new SealKey(bytes.clone());
  }

  /** Returns a copy of the raw key bytes, for the sealing state file only. */
  byte[] toBytes() {
    return bytes.clone();
  }

  /** Returns k(i+1). This key stays usable until the caller destroys it. */
  public SealKey evolve() {
    return new SealKey(hmac(bytes, EVOLVE_LABEL));
  }

  /** Returns the key {@code steps} evolutions ahead, destroying every intermediate key. */
  public SealKey evolve(long steps) {
    SealKey current = new SealKey(bytes.clone());
    for (long i = 0; i < steps; i++) {
      SealKey next = current.evolve();
      current.destroy();
      current = next;
    }
    return current;
  }

  /** Computes the seal of one record body (its line without the seal field) under this key. */
  public byte[] seal(byte[] body) {
    byte[] sealingKey = hmac(bytes, SEAL_LABEL);
    try {
      return hmac(sealingKey, body);
    } finally {
      Arrays.fill(sealingKey, (byte) 0);
    }
  }

  /**
   * Returns the chain id that belongs to this key when it is k0: 16 hex digits derived one-way from
   * k0. A verifier given k0 can thus tell which chain to expect and notice a log restarted from a
   * fresh chain.
   */
  public String chainId() {
    byte[] digest = hmac(bytes, CHAIN_LABEL);
    return HexFormat.of().formatHex(digest, 0, 8);
  }

  /** Overwrites the key bytes; the key is unusable afterwards. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  /**
   * Formats k0 for a human to write down: base32 (RFC 4648 alphabet) of the 16 key bytes followed
   * by one check byte, in groups of four characters joined by '-'. The check byte is the first byte
   * of SHA-256 over the key, so almost every typo is caught when the key is read back.
   */
  public String format() {
    if (bytes.length != INITIAL_KEY_BYTES) {
      throw new IllegalStateException("only an initial key is printed");
    }
    byte[] data = Arrays.copyOf(bytes, INITIAL_KEY_BYTES + 1);
    data[INITIAL_KEY_BYTES] = checkByte(bytes);
    String encoded = base32(data);
    Arrays.fill(data, (byte) 0);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < encoded.length(); i += GROUP_CHARS) {
      if (i > 0) {
        grouped.append('-');
      }
      grouped.append(encoded, i, Math.min(encoded.length(), i + GROUP_CHARS));
    }
    return grouped.toString();
  }

  /**
   * Parses a key printed by {@link #format()}. Case, dashes and spaces do not matter.
   *
   * @throws KeyException if the text has the wrong length, a character outside the base32 alphabet,
   *     or a check byte that does not match (a typo)
   */
  public static SealKey parse(String text) throws KeyException {
    String compact = text.replace("-", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    int expectedChars = ((INITIAL_KEY_BYTES + 1) * 8 + 4) / 5;
    if (compact.length() != expectedChars) {
      throw new KeyException(
          "invalid seal key: expected "
              + expectedChars
              + " base32 characters (as printed by 'telltale seal-init'), got "
              + compact.length());
    }
    byte[] data = new byte[INITIAL_KEY_BYTES + 1];
    long buffer = 0;
    int bits = 0;
    int index = 0;
    for (int i = 0; i < compact.length(); i++) {
      int value = BASE32_ALPHABET.indexOf(compact.charAt(i));
      if (value < 0) {
        throw new KeyException(
            "invalid seal key: character " + (i + 1) + " is not in the base32 alphabet A-Z, 2-7");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8 && index < data.length) {
        bits -= 8;
        data[index++] = (byte) (buffer >>> bits);
      }
    }
    byte[] key = Arrays.copyOf(data, INITIAL_KEY_BYTES);
    boolean checkMatches = data[INITIAL_KEY_BYTES] == checkByte(key);
    Arrays.fill(data, (byte) 0);
    if (!checkMatches) {
      Arrays.fill(key, (byte) 0);
      throw new KeyException("invalid seal key: check failed, so a character was mistyped");
    }
    return new SealKey(key);
  }

  @Override
  public String toString() {
    return "SealKey[redacted]";
  }

  private static byte checkByte(byte[] key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key)[0];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out.append(BASE32_ALPHABET.charAt((buffer >>> bits) & 0x1F));
      }
    }
    if (bits > 0) {
      out.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 0x1F));
    }
    return out.toString();
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
    }
  }
}
