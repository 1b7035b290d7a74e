package dev.telltale.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttributeTextTest {
  @Test
  void modeIsFourOctalDigits() {
    assertThat(Attribute.modeText(0100644)).isEqualTo("0644");
    assertThat(Attribute.modeText(0104755)).isEqualTo("4755");
    assertThat(Attribute.modeText(0)).isEqualTo("0000");
    assertThat(Attribute.modeText(07777)).isEqualTo("7777");
  }

  @Test
  void timeHasNineNanosecondDigits() {
    assertThat(Attribute.timeText(1_700_000_000L, 5)).isEqualTo("1700000000.000000005");
    assertThat(Attribute.timeText(0, 0)).isEqualTo("0.000000000");
    assertThat(Attribute.timeText(-1, 999_999_999)).isEqualTo("-1.999999999");
  }
}
