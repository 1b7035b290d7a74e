package dev.telltale.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure that a program a test starts for real (socat, rsyslogd, rpm, gpg, ...) is installed. A
 * missing program is installed from Debian's packages when the tests run as root, as they do in CI;
 * otherwise the test fails with the package to install. Tests never pass by skipping a program they
 * need.
 */
public final class DebianPackages {
  private static final Set<String> installed = new HashSet<>();
  private static boolean updated;

  private DebianPackages() {}

  /**
   * Returns the path of {@code program}, installing {@code debianPackage} first if needed.
   *
   * @throws AssertionError if the program is missing and cannot be installed
   */
  public static synchronized Path require(String program, String debianPackage) {
    Path found = find(program);
    if (found != null) {
      return found;
    }
    if (!installed.contains(debianPackage) && isRoot() && find("apt-get") != null) {
      try {
        if (!updated) {
          run("apt-get", "update", "-qq");
          updated = true;
        }
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage);
        installed.add(debianPackage);
      } catch (IOException e) {
        throw new AssertionError("installing Debian package " + debianPackage + " failed", e);
      }
      found = find(program);
      if (found != null) {
        return found;
      }
    }
    throw new AssertionError(
        "this test needs '"
            + program
            + "': install it with 'apt-get install "
            + debianPackage
            + "' (bash .ci/run does this)");
  }

  /** Returns the program's path on PATH or in the system directories, or null. */
  public static Path find(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String directory : path.split(":")) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Returns true when the tests run as root. */
  public static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.getOutputStream().close();
    try {
      if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
  }
}
