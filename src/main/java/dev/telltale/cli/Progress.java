package dev.telltale.cli;

import dev.telltale.posix.Terminal;
import dev.telltale.scan.ScanProgress;
import dev.telltale.scan.Scanner;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A progress line on standard error while a scan runs: entries, bytes hashed, rate, and the time
 * left when the expected total is known. Printed only when standard error is a terminal, so pipes
 * and log files get none of it.
 */
final class Progress implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 500;
  private static final double MIB = 1024.0 * 1024.0;

  private final Thread thread;
  private final PrintWriter err;
  private volatile boolean running = true;
  private volatile long expectedEntries = -1;

  private Progress(Scanner scanner, PrintWriter err) {
    this.err = err;
    this.thread =
        Thread.ofPlatform().daemon().name("telltale-progress").unstarted(() -> loop(scanner));
  }

  /** Returns true when a progress line would be seen by a person. */
  static boolean wanted() {
    return Terminal.isTerminal(Terminal.STANDARD_ERROR);
  }

  /** Starts the progress line if standard error is a terminal; otherwise prints nothing. */
  static Progress start(Scanner scanner, PrintWriter err) {
    Progress progress = new Progress(scanner, err);
    if (wanted()) {
      progress.thread.start();
    }
    return progress;
  }

  /** Sets the number of entries the scan is expected to return, which enables the time left. */
  void expectEntries(long entries) {
    expectedEntries = entries;
  }

  private void loop(Scanner scanner) {
    long startNanos = System.nanoTime();
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      String line = line(scanner.progress(), seconds, expectedEntries);
      synchronized (err) {
        err.print("\r" + line + "\033[K");
        err.flush();
      }
    }
  }

  /**
   * Formats one progress line. The time left is estimated from the share of the expected entries
   * done so far, so it is shown only when {@code expectedEntries} is positive and some entries are
   * done. It assumes the remaining entries cost what the finished ones cost on average.
   */
  static String line(ScanProgress now, double elapsedSeconds, long expectedEntries) {
    double seconds = Math.max(elapsedSeconds, 0.001);
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "%,d", now.entries()));
    if (expectedEntries > 0) {
      line.append(String.format(Locale.ROOT, " of %,d", expectedEntries));
    }
    line.append(
        String.format(
            " entries, %,.0f MiB, %,.0f MiB/s", now.bytes() / MIB, now.bytes() / MIB / seconds));
    if (expectedEntries > 0 && now.entries() > 0 && now.entries() < expectedEntries) {
      double left = seconds * (expectedEntries - now.entries()) / now.entries();
      line.append(String.format(Locale.ROOT, ", about %s left", duration(left)));
    }
    return line.toString();
  }

  private static String duration(double seconds) {
    long whole = Math.round(seconds);
    return whole < 60
        ? whole + " s"
        : String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
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
