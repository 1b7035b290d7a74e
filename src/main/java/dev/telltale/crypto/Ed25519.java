package dev.telltale.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** Conversions between raw Ed25519 keys (RFC 8032) and the JDK's key objects. */
final class Ed25519 {
  static final String ALGORITHM = "Ed25519";
  static final int PUBLIC_KEY_BYTES = 32;
  static final int SEED_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410); the raw key follows. */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private Ed25519() {}

  static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded.length != SPKI_PREFIX.length + PUBLIC_KEY_BYTES
        || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalStateException("the JDK returned an Ed25519 public key of unknown encoding");
    }
    return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
  }

  static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
    byte[] encoded = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, encoded, SPKI_PREFIX.length, raw.length);
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
  }

  /**
   * Returns a JDK private key for a seed.
   *
   * <p>NOTE: the JDK key object keeps its own copy of the seed, which cannot be cleared; callers
   * create one per signature so that it becomes garbage at once.
   */
  static PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM)
        .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
  }
}
