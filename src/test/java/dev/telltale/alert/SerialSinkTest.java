package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.alert.AlertFixture.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serial sink and the receiver over a real pseudo-terminal pair made by socat: records written
 * to one end by {@link Alerts} must come out verified at the other end by {@code telltale receive
 * --serial}.
 */
class SerialSinkTest {
  @TempDir Path directory;
  private Process socat;
  private Path hostEnd;
  private Path receiverEnd;

  @BeforeEach
  void startPtyPair() throws Exception {
    String program = ExternalTool.require("socat", "socat");
    hostEnd = directory.resolve("ttyHost");
    receiverEnd = directory.resolve("ttyReceiver");
    socat =
        new ProcessBuilder(
                program,
                "-d",
                "-d",
                "pty,raw,echo=0,link=" + hostEnd,
                "pty,raw,echo=0,link=" + receiverEnd)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("socat.txt").toFile())
            .start();
    ExternalTool.awaitTrue(
        () -> Files.exists(hostEnd) && Files.exists(receiverEnd),
        Duration.ofSeconds(10),
        "socat did not create the pty pair");
  }

  @AfterEach
  void stopPtyPair() throws Exception {
    if (socat != null && socat.isAlive()) {
      socat.destroy();
      socat.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void recordsCrossSerialLineVerified() throws Exception {
    Path state = directory.resolve("state");
    Path log = directory.resolve("alerts.log");
    String key = AlertFixture.sealInit(state, log);
    CompletableFuture<Run> receiver =
        CompletableFuture.supplyAsync(
            () ->
                AlertFixture.run(
                    "receive",
                    "--serial=" + receiverEnd,
                    "--baud=115200",
                    "--start-at=1",
                    "--seal-key=" + key));
    // The receiver must have its end open before anything is sent, or the pty drops the bytes.
    ExternalTool.awaitOpenedHere(receiverEnd, Duration.ofSeconds(20));
    try (Alerts alerts = Alerts.open(List.of("serial:" + hostEnd + "?baud=115200"), state)) {
      for (int i = 0; i < 5; i++) {
        alerts.emit("change", "{\"n\":" + i + "}");
      }
      alerts.heartbeat();
    }
    // socat forwards the bytes on its own schedule, so it gets time before it is stopped.
    Thread.sleep(2000);
    socat.destroy();
    Run run = receiver.get(30, TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(6);
    assertThat(run.outLines().get(5)).contains(" heartbeat ");
    assertThat(run.err()).contains("hung up");
  }

  @Test
  void serialSinkSetsRawMode() throws Exception {
    Path state = directory.resolve("state");
    AlertFixture.sealInit(state, directory.resolve("alerts.log"));
    try (Alerts alerts = Alerts.open(List.of("serial:" + hostEnd + "?baud=9600"), state)) {
      alerts.emit("check.start", "{}");
    }
    Process stty =
        new ProcessBuilder("stty", "-a", "-F", hostEnd.toRealPath().toString())
            .redirectErrorStream(true)
            .start();
    String settings = new String(stty.getInputStream().readAllBytes());
    stty.waitFor();
    assertThat(settings).contains("speed 9600 baud");
    assertThat(settings).contains("clocal");
    assertThat(settings).contains("-icanon");
    assertThat(settings).contains("cs8");
  }
}
