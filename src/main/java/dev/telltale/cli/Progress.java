package dev.telltale.cli;

import dev.telltale.posix.Terminal;
import dev.telltale.scan.ScanProgress;
import dev.telltale.scan.Scanner;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * A progress line on standard error while a scan runs: entries, bytes hashed, rate, and the time
 * left when the expected total is known. Printed only when standard error is a terminal, so pipes
 * and log files get none of it.
 */
final class Progress implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 500;

  private final Thread thread;
  private final PrintWriter err;
  private volatile boolean running = true;

  private Progress(Scanner scanner, PrintWriter err, long expectedBytes) {
    this.err = err;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("telltale-progress")
            .unstarted(() -> loop(scanner, expectedBytes));
  }

  /** Returns true when a progress line would be seen by a person. */
  static boolean wanted() {
    return Terminal.isTerminal(Terminal.STANDARD_ERROR);
  }

  static Progress start(Scanner scanner, PrintWriter err) {
    return start(scanner, err, -1);
  }

  /** Starts the progress line if wanted; {@code expectedBytes} is negative when unknown. */
  static Progress start(Scanner scanner, PrintWriter err, long expectedBytes) {
    Progress progress = new Progress(scanner, err, expectedBytes);
    if (wanted()) {
      progress.thread.start();
    }
    return progress;
  }

  private void loop(Scanner scanner, long expectedBytes) {
    long startNanos = System.nanoTime();
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      ScanProgress now = scanner.progress();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double mibPerSecond = now.bytes() / 1048576.0 / Math.max(seconds, 0.001);
      StringBuilder line = new StringBuilder();
      line.append(
          String.format(
              "\r%,d entries, %,.0f MiB, %,.0f MiB/s",
              now.entries(), now.bytes() / 1048576.0, mibPerSecond));
      if (expectedBytes > 0 && now.bytes() > 0 && now.bytes() < expectedBytes) {
        double left = (expectedBytes - now.bytes()) / (now.bytes() / seconds);
        line.append(String.format(", about %.0f s left", left));
      }
      line.append("   ");
      synchronized (err) {
        err.print(line);
        err.flush();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.print("\r\033[K");
      err.flush();
    }
  }
}
