package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.alert.AlertFixture.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes of {@code telltale receive} for bad options and unusable inputs. */
class ReceiveCommandTest {
  @TempDir Path directory;
  private String key;

  @BeforeEach
  void startChain() {
    key = AlertFixture.sealInit(directory.resolve("state"), directory.resolve("alerts.log"));
  }

  @Test
  void missingSerialDeviceIsIoError() {
    Run run =
        AlertFixture.run(
            "receive", "--serial=" + directory.resolve("no-such-tty"), "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(18);
    assertThat(run.err()).contains("no-such-tty");
  }

  @Test
  void regularFileAsSerialIsIoError() {
    Run run =
        AlertFixture.run(
            "receive", "--serial=" + directory.resolve("alerts.log"), "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(18);
    assertThat(run.err()).contains("not a tty");
  }

  @Test
  void unsupportedBaudIsUsageError() {
    Run run =
        AlertFixture.run("receive", "--serial=/dev/ttyS0", "--baud=1234", "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(16);
  }

  @Test
  void twoSourcesAreUsageError() {
    Run run = AlertFixture.run("receive", "--stdin", "--serial=/dev/ttyS0", "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(16);
  }

  @Test
  void malformedListenAddressIsUsageError() {
    Run run = AlertFixture.run("receive", "--listen=localhost", "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(16);
  }

  @Test
  void zeroHeartbeatTimeoutIsUsageError() {
    Run run = AlertFixture.run("receive", "--stdin", "--heartbeat-timeout=0", "--seal-key=" + key);
    assertThat(run.exitCode()).isEqualTo(16);
  }
}
