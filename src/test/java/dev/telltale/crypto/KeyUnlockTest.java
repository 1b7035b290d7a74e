package dev.telltale.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyUnlockTest {
  private static final byte[] MESSAGE = "baseline digest".getBytes(US_ASCII);

  private static final KeyFiles.KdfParameters FAST_KDF =
      new KeyFiles.KdfParameters(KeyFiles.MIN_MEMORY_KIB, 1, 1, new byte[16]);

  @TempDir Path directory;

  private Path keyFile(SigningKey key, String passphrase) throws Exception {
    Path file = directory.resolve("telltale.key");
    Files.write(file, KeyFiles.encryptedKeyFile(key, passphrase(passphrase), FAST_KDF));
    return file;
  }

  private static Passphrase passphrase(String text) {
    return new Passphrase(text.toCharArray());
  }

  @Test
  void unlockedKeySignsForItsPublicKey() throws Exception {
    try (SigningKey key = SigningKey.generate()) {
      KeyFiles.LockedKey locked = KeyFiles.readLockedKey(keyFile(key, "right"));

      try (KeyUnlock unlock = KeyUnlock.start(locked, passphrase("right"))) {
        assertThat(unlock.verifyKey()).isEqualTo(key.verifyKey());
        byte[] signature = unlock.sign(MESSAGE);

        assertThat(key.verifyKey().verify(MESSAGE, signature)).isTrue();
        unlock.throwIfFailed();
      }
    }
  }

  @Test
  void wrongPassphraseFailsEveryUseOnceDerived() throws Exception {
    try (SigningKey key = SigningKey.generate()) {
      Path file = keyFile(key, "right");

      try (KeyUnlock unlock = KeyUnlock.start(KeyFiles.readLockedKey(file), passphrase("wrong"))) {
        assertThatThrownBy(unlock::await)
            .isInstanceOf(KeyException.class)
            .hasMessage("wrong passphrase for " + file + " (or the file was altered)");
        assertThatThrownBy(unlock::throwIfFailed).isInstanceOf(KeyException.class);
        assertThatThrownBy(() -> unlock.sign(MESSAGE)).isInstanceOf(KeyException.class);
      }
    }
  }

  @Test
  void passphraseIsClearedOnceDerived() throws Exception {
    try (SigningKey key = SigningKey.generate()) {
      Passphrase passphrase = passphrase("right");

      try (KeyUnlock unlock =
          KeyUnlock.start(KeyFiles.readLockedKey(keyFile(key, "right")), passphrase)) {
        unlock.await();
      }

      assertThatThrownBy(passphrase::isEmpty)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cleared");
    }
  }

  @Test
  void malformedKeyFileFailsBeforeAnyPassphrase() throws Exception {
    Path file = Files.writeString(directory.resolve("telltale.key"), "not a key\n");

    assertThatThrownBy(() -> KeyFiles.readLockedKey(file)).isInstanceOf(KeyException.class);
  }
}
