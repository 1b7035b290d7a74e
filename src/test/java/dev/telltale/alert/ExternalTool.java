package dev.telltale.alert;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Helpers for tests that start real programs: socat, rsyslogd, openssl. */
final class ExternalTool {
  private ExternalTool() {}

  /** Returns the path of a program, failing the test with the Debian package to install. */
  static String require(String program, String debianPackage) {
    for (String directory : new String[] {"/usr/bin", "/usr/sbin", "/bin", "/sbin"}) {
      Path candidate = Path.of(directory, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(program + " not found: install the Debian package '" + debianPackage + "'");
  }

  /** Runs a program to completion and fails the test if it exits non-zero. */
  static void runToCompletion(Path workDirectory, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDirectory.resolve("tool-output.txt").toFile())
            .start();
    if (process.waitFor() != 0) {
      fail(
          String.join(" ", command)
              + " failed: "
              + Files.readString(workDirectory.resolve("tool-output.txt")));
    }
  }

  /** Returns a loopback TCP port that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Waits until something listens on the loopback port. */
  static void awaitListening(int port, Duration timeout) throws Exception {
    awaitTrue(
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        timeout,
        "nothing listens on port " + port);
  }

  /**
   * Waits until a socket listens on the TCP port, reading /proc/net/tcp and tcp6 so that no probe
   * connection is made.
   */
  static void awaitTcpListener(int port, Duration timeout) throws InterruptedException {
    String local = String.format(":%04X ", port);
    awaitTrue(
        () -> {
          try {
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
            lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
            return lines.stream()
                .map(String::strip)
                .map(line -> line.split("\\s+"))
                .anyMatch(
                    fields ->
                        fields.length > 3
                            && (fields[1] + " ").endsWith(local)
                            && fields[3].equals("0A"));
          } catch (IOException e) {
            return false;
          }
        },
        timeout,
        "nothing listens on port " + port);
  }

  /** Waits until this JVM has the file open, found by reading the links in /proc/self/fd. */
  static void awaitOpenedHere(Path file, Duration timeout) throws Exception {
    Path target = file.toRealPath();
    awaitTrue(
        () -> {
          try (var links = Files.list(Path.of("/proc/self/fd"))) {
            return links.anyMatch(
                link -> {
                  try {
                    return Files.readSymbolicLink(link).equals(target);
                  } catch (IOException e) {
                    return false;
                  }
                });
          } catch (IOException e) {
            return false;
          }
        },
        timeout,
        "this process did not open " + target);
  }

  /** Polls a condition every 100 ms and fails the test with the message on timeout. */
  static void awaitTrue(BooleanSupplier condition, Duration timeout, String message)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        fail(message + " within " + timeout.toSeconds() + " seconds");
      }
      Thread.sleep(100);
    }
  }
}
