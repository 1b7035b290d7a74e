package dev.telltale.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd started by a test: it listens on a loopback port with imtcp, plain or TLS, and
 * writes the message part of each syslog message it receives as one line of {@code out.log}.
 */
final class Rsyslog implements AutoCloseable {
  private final Path directory;
  private final int port;
  private final Path config;
  private Process process;

  private Rsyslog(Path directory, int port, Path config) {
    this.directory = directory;
    this.port = port;
    this.config = config;
  }

  /**
   * Writes the configuration; TLS is used if {@code certificates} is not null and contains ca.pem,
   * server.pem and server.key.
   */
  static Rsyslog configure(Path directory, Path certificates) throws IOException {
    Files.createDirectories(directory.resolve("work"));
    int port = ExternalTool.freePort();
    StringBuilder text = new StringBuilder();
    // Records are up to 64 KiB; rsyslog's default maximum message size is 8 KiB.
    text.append("global(workDirectory=\"")
        .append(directory.resolve("work"))
        .append("\" maxMessageSize=\"128k\")\n");
    if (certificates == null) {
      text.append("module(load=\"imtcp\")\n");
    } else {
      text.append("global(DefaultNetstreamDriverCAFile=\"")
          .append(certificates.resolve("ca.pem"))
          .append("\" DefaultNetstreamDriverCertFile=\"")
          .append(certificates.resolve("server.pem"))
          .append("\" DefaultNetstreamDriverKeyFile=\"")
          .append(certificates.resolve("server.key"))
          .append("\")\n");
      text.append(
          "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\""
              + " StreamDriver.AuthMode=\"anon\")\n");
    }
    text.append("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"").append(port).append("\")\n");
    text.append("template(name=\"recordOnly\" type=\"string\" string=\"%msg%\\n\")\n");
    text.append("action(type=\"omfile\" file=\"")
        .append(directory.resolve("out.log"))
        .append("\" template=\"recordOnly\")\n");
    Path config = directory.resolve("rsyslog.conf");
    Files.writeString(config, text);
    return new Rsyslog(directory, port, config);
  }

  int port() {
    return port;
  }

  /** Starts rsyslogd in the foreground and waits until it listens. */
  void start() throws Exception {
    String program = ExternalTool.require("rsyslogd", "rsyslog");
    process =
        new ProcessBuilder(
                program,
                "-n",
                "-f",
                config.toString(),
                "-i",
                directory.resolve("rsyslogd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(directory.resolve("rsyslogd.txt").toFile()))
            .start();
    ExternalTool.awaitListening(port, Duration.ofSeconds(20));
  }

  /** Stops rsyslogd with SIGTERM, so it closes its connections and flushes its output. */
  void stop() throws IOException {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping rsyslogd", e);
      }
    }
    process = null;
  }

  /** Returns the record lines rsyslog has written so far. */
  List<String> records() throws IOException {
    Path out = directory.resolve("out.log");
    List<String> records = new ArrayList<>();
    if (!Files.exists(out)) {
      return records;
    }
    for (String line : Files.readAllLines(out, StandardCharsets.US_ASCII)) {
      int start = line.indexOf(AlertRecord.VERSION + " ");
      if (start >= 0) {
        records.add(line.substring(start));
      }
    }
    return records;
  }

  /** Returns rsyslogd's own messages, for failure reports. */
  String diagnostics() throws IOException {
    Path log = directory.resolve("rsyslogd.txt");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
