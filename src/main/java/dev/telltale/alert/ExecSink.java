package dev.telltale.alert;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command once per record, with the record line on its standard input, for example {@code
 * exec:lp} to print each record as its own job. The record counts as delivered only when the
 * command exits with status 0 within {@link #TIMEOUT_SECONDS}.
 */
final class ExecSink implements Sink {
  static final long TIMEOUT_SECONDS = 60;

  private final String uri;
  private final String command;

  ExecSink(String uri, String command) {
    this.uri = uri;
    this.command = command;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void send(AlertRecord record) throws IOException {
    // The command goes through the shell, as in a crontab line; the record itself never becomes
    // part of the command line.
    Process process =
        new ProcessBuilder(List.of("/bin/sh", "-c", command))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(AlertRecord.ascii(record.toLine() + "\n"));
    } catch (IOException e) {
      process.destroyForcibly();
      throw new IOException("command '" + command + "' did not take the record: " + e, e);
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "command '" + command + "' timed out after " + TIMEOUT_SECONDS + " seconds");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for command '" + command + "'", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("command '" + command + "' exited with status " + process.exitValue());
    }
  }

  @Override
  public void close() {}
}
