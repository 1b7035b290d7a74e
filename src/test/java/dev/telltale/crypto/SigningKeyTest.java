package dev.telltale.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeyTest {
  private static final byte[] MESSAGE = "message".getBytes(US_ASCII);

  @Test
  void signatureVerifies() {
    try (SigningKey key = SigningKey.generate()) {
      assertThat(key.verifyKey().verify(MESSAGE, key.sign(MESSAGE))).isTrue();
    }
  }

  @Test
  void signatureOfOtherMessageFails() {
    try (SigningKey key = SigningKey.generate()) {
      byte[] signature = key.sign(MESSAGE);
      assertThat(key.verifyKey().verify("massage".getBytes(US_ASCII), signature)).isFalse();
    }
  }

  @Test
  void flippedSignatureBitFails() {
    try (SigningKey key = SigningKey.generate()) {
      byte[] signature = key.sign(MESSAGE);
      for (int bit = 0; bit < signature.length * 8; bit++) {
        byte[] altered = signature.clone();
        altered[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(key.verifyKey().verify(MESSAGE, altered)).as("bit %d", bit).isFalse();
      }
    }
  }

  @Test
  void otherKeyRejectsSignature() {
    try (SigningKey key = SigningKey.generate();
        SigningKey other = SigningKey.generate()) {
      assertThat(other.verifyKey().verify(MESSAGE, key.sign(MESSAGE))).isFalse();
    }
  }

  @Test
  void shortSignatureFails() {
    try (SigningKey key = SigningKey.generate()) {
      assertThat(key.verifyKey().verify(MESSAGE, new byte[10])).isFalse();
    }
  }

  @Test
  void closedKeyCannotSign() {
    SigningKey key = SigningKey.generate();
    key.close();

    assertThatThrownBy(() -> key.sign(MESSAGE)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringHidesSeed() {
    try (SigningKey key = SigningKey.generate()) {
      byte[] seed = key.seedCopy();
      assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(seed));
      assertThat(key.toString()).doesNotContain(Base64.getEncoder().encodeToString(seed));
      assertThat(key.toString()).isEqualTo("SigningKey[" + key.verifyKey().fingerprint() + "]");
    }
  }

  @Test
  void fingerprintIsBase64OfSha256() throws Exception {
    try (SigningKey key = SigningKey.generate()) {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.verifyKey().rawBytes());
      String expected = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
      assertThat(key.verifyKey().fingerprint()).isEqualTo(expected);
    }
  }

  @Test
  void wrongLengthPublicKeyIsKeyException() {
    assertThatThrownBy(() -> VerifyKey.ofRawBytes(new byte[31])).isInstanceOf(KeyException.class);
  }

  @Test
  void passphraseToStringHidesText() {
    try (Passphrase passphrase = new Passphrase("hunter2".toCharArray())) {
      assertThat(passphrase.toString()).doesNotContain("hunter2");
    }
  }

  @Test
  void clearedPassphraseCannotBeUsed() {
    Passphrase passphrase = new Passphrase("hunter2".toCharArray());
    passphrase.clear();

    assertThatThrownBy(passphrase::utf8Bytes).isInstanceOf(IllegalStateException.class);
  }
}
