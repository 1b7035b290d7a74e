package dev.telltale.crypto;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A private key being unlocked on a thread of its own.
 *
 * <p>Argon2id took about half a second of one processor on the benchmark machine. {@code init} and
 * {@code update} need the private key only to sign at the end, so the scan starts at once and the
 * derivation runs beside it. A wrong passphrase still stops the job within that half second: the
 * job calls {@link #throwIfFailed()} as it goes.
 */
public final class KeyUnlock implements Signer, AutoCloseable {
  private final VerifyKey verifyKey;
  private final CompletableFuture<SigningKey> key;

  private KeyUnlock(VerifyKey verifyKey, CompletableFuture<SigningKey> key) {
    this.verifyKey = verifyKey;
    this.key = key;
  }

  /**
   * Starts unlocking {@code locked} with {@code passphrase}, which this takes ownership of and
   * clears when the derivation is done.
   */
  public static KeyUnlock start(KeyFiles.LockedKey locked, Passphrase passphrase) {
    CompletableFuture<SigningKey> key = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              // The passphrase is cleared before anyone waiting for the key is released.
              SigningKey unlocked;
              try (passphrase) {
                unlocked = locked.unlock(passphrase);
              } catch (KeyException | RuntimeException | Error e) {
                key.completeExceptionally(e);
                return;
              }
              key.complete(unlocked);
            },
            "telltale-unlock");
    thread.setDaemon(true);
    thread.start();
    return new KeyUnlock(locked.verifyKey(), key);
  }

  @Override
  public VerifyKey verifyKey() {
    return verifyKey;
  }

  @Override
  public byte[] sign(byte[] message) throws KeyException {
    return await().sign(message);
  }

  @Override
  public void throwIfFailed() throws KeyException {
    if (key.isCompletedExceptionally()) {
      await();
    }
  }

  /**
   * Waits for the key.
   *
   * @throws KeyException if the passphrase is wrong or the key file was altered
   */
  public SigningKey await() throws KeyException {
    try {
      return key.join();
    } catch (CompletionException e) {
      switch (e.getCause()) {
        case KeyException failure -> throw new KeyException(failure.getMessage(), failure);
        case RuntimeException failure -> throw failure;
        case Error failure -> throw failure;
        case null, default ->
            throw new IllegalStateException("unlocking the key failed", e.getCause());
      }
    }
  }

  /** Waits for the derivation to end and clears the key, so that no secret outlives the job. */
  @Override
  public void close() {
    try {
      key.join().close();
    } catch (CompletionException e) {
      // Nothing was unlocked, so nothing needs clearing.
    }
  }

  @Override
  public String toString() {
    return "KeyUnlock[" + verifyKey.fingerprint() + "]";
  }
}
