package dev.telltale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void longOptionPrintsVersionLine() {
    CliRun run = CliRun.of("--version");

    assertThat(run.out()).isEqualTo(VersionProvider.versionLine() + System.lineSeparator());
  }

  @Test
  void shortOptionPrintsVersionLine() {
    CliRun run = CliRun.of("-V");

    assertThat(run.out()).isEqualTo(VersionProvider.versionLine() + System.lineSeparator());
  }

  @Test
  void versionExitsClean() {
    assertThat(CliRun.of("--version").exitCode()).isZero();
  }
}
