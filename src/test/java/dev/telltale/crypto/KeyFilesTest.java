package dev.telltale.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.OutputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  private static final byte[] MESSAGE = "baseline digest".getBytes(US_ASCII);

  /** Weak parameters, so that the byte-by-byte tamper tests stay fast; only tests use them. */
  private static final KeyFiles.KdfParameters FAST_KDF =
      new KeyFiles.KdfParameters(KeyFiles.MIN_MEMORY_KIB, 1, 1, new byte[16]);

  @TempDir Path directory;

  @Test
  void generatedKeySignsForPublicKey() throws Exception {
    VerifyKey generated = KeyFiles.generate(directory, passphrase("correct horse"));

    try (SigningKey key =
        KeyFiles.loadSigningKey(directory.resolve("telltale.key"), passphrase("correct horse"))) {
      VerifyKey loaded = KeyFiles.loadVerifyKey(directory.resolve("telltale.pub"));
      assertThat(loaded).isEqualTo(generated);
      assertThat(loaded.verify(MESSAGE, key.sign(MESSAGE))).isTrue();
    }
  }

  @Test
  void secretKeyFileHasMode0600() throws Exception {
    KeyFiles.generate(directory, passphrase("pass"));

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("telltale.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void secretKeyFileRecordsDefaultParameters() throws Exception {
    KeyFiles.generate(directory, passphrase("pass"));

    assertThat(Files.readAllLines(directory.resolve("telltale.key")).get(1))
        .startsWith("kdf argon2id v=19 m=65536 t=3 p=1 salt=");
  }

  @Test
  void generateRejectsExistingKey() throws Exception {
    Files.writeString(directory.resolve("telltale.pub"), "old");

    assertThatThrownBy(() -> KeyFiles.generate(directory, passphrase("pass")))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining("move the old key files");
    assertThat(Files.exists(directory.resolve("telltale.key"))).isFalse();
  }

  @Test
  void generateRejectsEmptyPassphrase() {
    assertThatThrownBy(() -> KeyFiles.generate(directory, passphrase("")))
        .isInstanceOf(KeyException.class);
  }

  @Test
  void wrongPassphraseIsKeyException() throws Exception {
    KeyFiles.generate(directory, passphrase("right"));
    Path keyFile = directory.resolve("telltale.key");

    assertThatThrownBy(() -> KeyFiles.loadSigningKey(keyFile, passphrase("wrong")))
        .isInstanceOf(KeyException.class)
        .hasMessage("wrong passphrase for " + keyFile + " (or the file was altered)");
  }

  @Test
  void changedKdfParameterFailsDecryption() throws Exception {
    Path keyFile = writeFastKey("pass");
    String text = Files.readString(keyFile).replace(" t=1 ", " t=2 ");
    Files.writeString(keyFile, text);

    assertThatThrownBy(() -> KeyFiles.loadSigningKey(keyFile, passphrase("pass")))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("wrong passphrase");
  }

  @Test
  void hugeMemoryParameterIsRejectedUnread() throws Exception {
    Path keyFile = writeFastKey("pass");
    String text = Files.readString(keyFile).replace(" m=8192 ", " m=9999999 ");
    Files.writeString(keyFile, text);

    assertThatThrownBy(() -> KeyFiles.loadSigningKey(keyFile, passphrase("pass")))
        .isInstanceOf(KeyException.class)
        .hasMessageStartingWith(keyFile + ":2: m=9999999 KiB is outside");
  }

  @Test
  void tooManyIterationsAreRejected() throws Exception {
    Path keyFile = writeFastKey("pass");
    String text = Files.readString(keyFile).replace(" t=1 ", " t=1000 ");
    Files.writeString(keyFile, text);

    assertThatThrownBy(() -> KeyFiles.loadSigningKey(keyFile, passphrase("pass")))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining(":2: t=1000");
  }

  @Test
  void flippedByteInSecretKeyIsKeyException() throws Exception {
    Path keyFile = writeFastKey("pass");
    byte[] original = Files.readAllBytes(keyFile);

    for (int position = 0; position < original.length; position++) {
      byte[] altered = original.clone();
      altered[position] ^= 0x01;
      Files.write(keyFile, altered);
      int at = position;
      assertThatThrownBy(() -> KeyFiles.loadSigningKey(keyFile, passphrase("pass")))
          .as("byte %d flipped", at)
          .isInstanceOf(KeyException.class);
    }
  }

  @Test
  void truncatedSecretKeyIsKeyException() throws Exception {
    Path keyFile = writeFastKey("pass");
    byte[] original = Files.readAllBytes(keyFile);

    for (int length = 0; length < original.length; length++) {
      Files.write(keyFile, java.util.Arrays.copyOf(original, length));
      int at = length;
      assertThatThrownBy(() -> KeyFiles.loadSigningKey(keyFile, passphrase("pass")))
          .as("truncated to %d bytes", at)
          .isInstanceOf(KeyException.class);
    }
  }

  @Test
  void flippedByteInPublicKeyIsKeyException() throws Exception {
    KeyFiles.generate(directory, passphrase("pass"));
    Path pubFile = directory.resolve("telltale.pub");
    byte[] original = Files.readAllBytes(pubFile);

    for (int position = 0; position < original.length; position++) {
      byte[] altered = original.clone();
      altered[position] ^= 0x01;
      Files.write(pubFile, altered);
      int at = position;
      assertThatThrownBy(() -> KeyFiles.loadVerifyKey(pubFile))
          .as("byte %d flipped", at)
          .isInstanceOf(KeyException.class);
    }
  }

  @Test
  void wrongFingerprintCommentNamesLine() throws Exception {
    KeyFiles.generate(directory, passphrase("pass"));
    Path pubFile = directory.resolve("telltale.pub");
    String other = SigningKey.generate().verifyKey().fingerprint();
    String text = Files.readString(pubFile).replaceFirst("SHA256:\\S+", other);
    Files.writeString(pubFile, text);

    assertThatThrownBy(() -> KeyFiles.loadVerifyKey(pubFile))
        .isInstanceOf(KeyException.class)
        .hasMessageStartingWith(pubFile + ":3: ");
  }

  @Test
  void missingPublicKeyIsKeyException() {
    assertThatThrownBy(() -> KeyFiles.loadVerifyKey(directory.resolve("telltale.pub")))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("not found");
  }

  @Test
  void oversizedKeyFileIsRejected() throws Exception {
    Path pubFile = directory.resolve("telltale.pub");
    Files.write(pubFile, new byte[1 << 20]);

    assertThatThrownBy(() -> KeyFiles.loadVerifyKey(pubFile))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void publicKeyFileShowsFingerprint() throws Exception {
    VerifyKey key = KeyFiles.generate(directory, passphrase("pass"));

    assertThat(Files.readAllLines(directory.resolve("telltale.pub")))
        .containsExactly(
            "telltale-public-key 1",
            "ed25519 " + java.util.Base64.getEncoder().encodeToString(key.rawBytes()),
            "# fingerprint " + key.fingerprint());
  }

  private Path writeFastKey(String text) throws Exception {
    Path keyFile = directory.resolve("telltale.key");
    try (SigningKey key = SigningKey.generate()) {
      Files.write(keyFile, KeyFiles.encryptedKeyFile(key, passphrase(text), FAST_KDF));
    }
    return keyFile;
  }

  private static Passphrase passphrase(String text) {
    return new Passphrase(text.toCharArray());
  }
}
