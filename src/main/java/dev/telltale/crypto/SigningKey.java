package dev.telltale.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;

/**
 * An Ed25519 private key: the 32-byte seed of RFC 8032 together with its public key. The seed never
 * appears in {@link #toString()}, and {@link #close()} overwrites it with zeros.
 */
public final class SigningKey implements Signer, AutoCloseable {
  private final byte[] seed;
  private final VerifyKey verifyKey;
  private boolean closed;

  private SigningKey(byte[] seed, VerifyKey verifyKey) {
    this.seed = seed;
    this.verifyKey = verifyKey;
  }

  /** Generates a new key pair from the JDK's default strong random source. */
  public static SigningKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(Ed25519.ALGORITHM).generateKeyPair();
      byte[] seed =
          ((EdECPrivateKey) pair.getPrivate())
              .getBytes()
              .orElseThrow(() -> new IllegalStateException("the JDK hid the Ed25519 seed"));
      return new SigningKey(seed, VerifyKey.ofRawBytes(Ed25519.rawPublicKey(pair.getPublic())));
    } catch (GeneralSecurityException | KeyException e) {
      throw new IllegalStateException("the JDK cannot generate Ed25519 keys", e);
    }
  }

  /**
   * Returns the key for a seed and its public key; takes ownership of {@code seed}.
   *
   * @throws KeyException if the seed has the wrong length or does not belong to the public key
   */
  static SigningKey of(byte[] seed, VerifyKey verifyKey) throws KeyException {
    if (seed.length != Ed25519.SEED_BYTES) {
      Arrays.fill(seed, (byte) 0);
      throw new KeyException("an Ed25519 seed has 32 bytes, not " + seed.length);
    }
    SigningKey key = new SigningKey(seed, verifyKey);
    // The JDK cannot derive a public key from a seed, so a test signature checks that they match.
    byte[] probe = "telltale key pair check".getBytes(StandardCharsets.US_ASCII);
    if (!verifyKey.verify(probe, key.sign(probe))) {
      key.close();
      throw new KeyException("the secret key does not belong to its public key " + verifyKey);
    }
    return key;
  }

  /** Returns the Ed25519 signature (64 bytes) of {@code message}. */
  @Override
  public byte[] sign(byte[] message) {
    if (closed) {
      throw new IllegalStateException("signing key already closed");
    }
    try {
      PrivateKey privateKey = Ed25519.privateKey(seed);
      Signature signer = Signature.getInstance(Ed25519.ALGORITHM);
      signer.initSign(privateKey);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot sign with Ed25519", e);
    }
  }

  /** Returns the public key that verifies this key's signatures. */
  @Override
  public VerifyKey verifyKey() {
    return verifyKey;
  }

  /** Returns a copy of the seed for encryption into a key file; the caller must clear it. */
  byte[] seedCopy() {
    if (closed) {
      throw new IllegalStateException("signing key already closed");
    }
    return seed.clone();
  }

  /** Overwrites the seed with zeros. Afterwards the key cannot sign. */
  @Override
  public void close() {
    Arrays.fill(seed, (byte) 0);
    closed = true;
  }

  @Override
  public String toString() {
    return "SigningKey[" + verifyKey.fingerprint() + "]";
  }
}
