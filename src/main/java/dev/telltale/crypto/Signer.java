package dev.telltale.crypto;

/** Something that signs with an Ed25519 key: the key itself, or one still being unlocked. */
public interface Signer {
  /** Returns the public key that verifies the signatures; known before the key is unlocked. */
  VerifyKey verifyKey();

  /**
   * Returns the Ed25519 signature (64 bytes) of {@code message}, waiting for the key if needed.
   *
   * @throws KeyException if the key could not be unlocked
   */
  byte[] sign(byte[] message) throws KeyException;

  /**
   * Throws at once if unlocking the key has already failed, so that a long job can stop early on a
   * wrong passphrase. Returns without waiting while the key is still being unlocked.
   *
   * @throws KeyException the reason the key cannot be used
   */
  default void throwIfFailed() throws KeyException {}
}
