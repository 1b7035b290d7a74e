package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.crypto.KeyException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SealKeyTest {
  @Test
  void formattedKeyParsesBack() throws Exception {
    SealKey key = SealKey.generate(new SecureRandom());
    SealKey parsed =
        SealKey.parse(key.format().toLowerCase(java.util.Locale.ROOT).replace("-", " "));
    assertThat(parsed.toBytes()).isEqualTo(key.toBytes());
  }

  @Test
  void singleTyposAreAlmostAllCaught() throws Exception {
    SealKey key = SealKey.ofBytes(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
    String printed = key.format();
    int caught = 0;
    int tried = 0;
    for (int i = 0; i < printed.length(); i++) {
      if (printed.charAt(i) == '-') {
        continue;
      }
      char replacement = printed.charAt(i) == 'A' ? 'B' : 'A';
      String typo = printed.substring(0, i) + replacement + printed.substring(i + 1);
      tried++;
      try {
        SealKey.parse(typo);
      } catch (KeyException e) {
        caught++;
      }
    }
    // One check byte misses a typo with probability 1/256, and the last character carries four
    // unused bits, so at most a couple of the 28 positions may slip through.
    assertThat(caught).isGreaterThanOrEqualTo(tried - 2);
  }

  @Test
  void wrongLengthIsKeyError() {
    assertThatThrownBy(() -> SealKey.parse("ABCD-EFGH")).isInstanceOf(KeyException.class);
  }

  @Test
  void characterOutsideAlphabetIsKeyError() {
    assertThatThrownBy(() -> SealKey.parse("0".repeat(28)))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("base32");
  }

  @Test
  void evolvedKeyDiffersAndRepeats() {
    SealKey key = SealKey.generate(new SecureRandom());
    assertThat(key.evolve().toBytes()).isNotEqualTo(key.toBytes());
    assertThat(key.evolve(3).toBytes()).isEqualTo(key.evolve().evolve().evolve().toBytes());
  }

  @Test
  void toStringHidesKey() {
    SealKey key = SealKey.ofBytes(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
    assertThat(key.toString()).doesNotContain("0011");
  }

  @Test
  void destroyedKeyIsZeroed() {
    SealKey key = SealKey.generate(new SecureRandom());
    key.destroy();
    assertThat(key.toBytes()).containsOnly(0);
  }
}
