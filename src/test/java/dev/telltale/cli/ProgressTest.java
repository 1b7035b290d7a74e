package dev.telltale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.scan.ScanProgress;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void lineShowsEntriesBytesAndRate() {
    String line = Progress.line(new ScanProgress(1500, 200 * MIB), 2.0, -1);

    assertThat(line).isEqualTo("1,500 entries, 200 MiB, 100 MiB/s");
  }

  @Test
  void unknownTotalHasNoTimeLeft() {
    String line = Progress.line(new ScanProgress(10, 0), 5.0, -1);

    assertThat(line).doesNotContain("left");
  }

  @Test
  void knownTotalGivesTimeLeft() {
    String line = Progress.line(new ScanProgress(250, 0), 10.0, 1000);

    assertThat(line).isEqualTo("250 of 1,000 entries, 0 MiB, 0 MiB/s, about 30 s left");
  }

  @Test
  void longTimeLeftInMinutes() {
    String line = Progress.line(new ScanProgress(100, 0), 10.0, 10000);

    assertThat(line).endsWith("about 16 min 30 s left");
  }

  @Test
  void finishedScanHasNoTimeLeft() {
    String line = Progress.line(new ScanProgress(1000, 0), 10.0, 1000);

    assertThat(line).doesNotContain("left");
  }
}
