package dev.telltale.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * An Ed25519 public key that verifies signatures. Its fingerprint is {@code SHA256:} followed by
 * the SHA-256 of the 32 raw key bytes in base64 without padding, the form OpenSSH uses for its
 * keys, such as {@code SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU}.
 */
public final class VerifyKey {
  private static final String FINGERPRINT_PREFIX = "SHA256:";

  /** Length of a fingerprint: the prefix and 43 base64 characters for 32 bytes. */
  public static final int FINGERPRINT_LENGTH = FINGERPRINT_PREFIX.length() + 43;

  private final byte[] raw;
  private final PublicKey publicKey;
  private final String fingerprint;

  private VerifyKey(byte[] raw, PublicKey publicKey) {
    this.raw = raw;
    this.publicKey = publicKey;
    this.fingerprint = fingerprintOf(raw);
  }

  /**
   * Returns the key for 32 raw bytes.
   *
   * @throws KeyException if the bytes are not 32 long or not an Ed25519 public key
   */
  public static VerifyKey ofRawBytes(byte[] raw) throws KeyException {
    if (raw.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new KeyException(
          "an Ed25519 public key has 32 bytes, not " + raw.length + ": the key is damaged");
    }
    try {
      return new VerifyKey(raw.clone(), Ed25519.publicKey(raw));
    } catch (GeneralSecurityException e) {
      throw new KeyException("the bytes are not an Ed25519 public key: the key is damaged", e);
    }
  }

  /**
   * Returns true if {@code signature} is a valid Ed25519 signature of {@code message} by this key.
   * Returns false, without throwing, for a signature of the wrong length or encoding.
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != Ed25519.SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(Ed25519.ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // The JDK raises for encodings it cannot decode, such as a point not on the curve.
      return false;
    }
  }

  /** Returns the fingerprint, {@code SHA256:} and 43 base64 characters. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Returns the 32 raw key bytes (RFC 8032 encoding), a fresh copy. */
  public byte[] rawBytes() {
    return raw.clone();
  }

  /** Returns true if {@code text} has the form of a fingerprint. It does not check which key. */
  public static boolean isFingerprint(String text) {
    if (text.length() != FINGERPRINT_LENGTH || !text.startsWith(FINGERPRINT_PREFIX)) {
      return false;
    }
    try {
      byte[] digest = Base64.getDecoder().decode(text.substring(FINGERPRINT_PREFIX.length()));
      return digest.length == 32 && fingerprintOfDigest(digest).equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String fingerprintOf(byte[] raw) {
    try {
      return fingerprintOfDigest(MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String fingerprintOfDigest(byte[] digest) {
    return FINGERPRINT_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyKey other && MessageDigest.isEqual(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "VerifyKey[" + fingerprint + "]";
  }
}
