package dev.telltale.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntryReaderTest {
  @Test
  void modeHasFourOctalDigitsWithoutTheFileType() {
    assertThat(EntryReader.mode(0100644)).isEqualTo("0644");
    assertThat(EntryReader.mode(0104755)).isEqualTo("4755");
    assertThat(EntryReader.mode(0)).isEqualTo("0000");
    assertThat(EntryReader.mode(07777)).isEqualTo("7777");
  }

  @Test
  void timeHasNineDigitsOfNanoseconds() {
    assertThat(EntryReader.time(1_700_000_000L, 5)).isEqualTo("1700000000.000000005");
    assertThat(EntryReader.time(0, 0)).isEqualTo("0.000000000");
    assertThat(EntryReader.time(-1, 999_999_999)).isEqualTo("-1.999999999");
  }
}
