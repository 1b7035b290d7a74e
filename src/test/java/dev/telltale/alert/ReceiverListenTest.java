package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.alert.AlertFixture.Run;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code telltale receive --listen} fed by the syslog sink, with octet-counted frames. */
class ReceiverListenTest {
  @TempDir Path directory;

  @Test
  void syslogFramesAreVerified() throws Exception {
    Path state = directory.resolve("state");
    String key = AlertFixture.sealInit(state, directory.resolve("alerts.log"));
    int port = ExternalTool.freePort();
    CompletableFuture<Run> receiver =
        CompletableFuture.supplyAsync(
            () ->
                AlertFixture.run(
                    "receive",
                    "--listen=127.0.0.1:" + port,
                    "--once",
                    "--start-at=1",
                    "--seal-key=" + key));
    ExternalTool.awaitTcpListener(port, Duration.ofSeconds(10));
    try (Alerts alerts = Alerts.open(List.of("syslog+tcp://127.0.0.1:" + port), state)) {
      alerts.emit("check.start", "{}");
      alerts.emit("change", "{\"file\":{\"path\":\"/etc/hosts\"}}");
      alerts.emit("check.end", "{\"exit_code\":4}");
    }
    Run run = receiver.get(30, TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(3);
    assertThat(run.outLines().get(1)).contains("/etc/hosts");
  }

  @Test
  void plainLinesWithNoiseAreVerified() throws Exception {
    Path state = directory.resolve("state");
    Path log = directory.resolve("alerts.log");
    String key = AlertFixture.sealInit(state, log);
    int port = ExternalTool.freePort();
    CompletableFuture<Run> receiver =
        CompletableFuture.supplyAsync(
            () ->
                AlertFixture.run(
                    "receive", "--listen=127.0.0.1:" + port, "--once", "--seal-key=" + key));
    ExternalTool.awaitTcpListener(port, Duration.ofSeconds(10));
    try (Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream()) {
      out.write(AlertFixture.ascii("12345 noise that claims a length\n"));
      out.write(java.nio.file.Files.readAllBytes(log));
    }
    Run run = receiver.get(30, TimeUnit.SECONDS);
    assertThat(run.outLines()).hasSize(1);
    assertThat(run.exitCode()).as(run.err()).isZero();
  }
}
