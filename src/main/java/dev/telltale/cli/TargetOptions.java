package dev.telltale.cli;

import dev.telltale.OutputException;
import dev.telltale.UsageException;
import dev.telltale.policy.Policy;
import dev.telltale.policy.PolicyException;
import dev.telltale.policy.SystemKind;
import dev.telltale.scan.ScanOptions;
import dev.telltale.scan.Scanner;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that say what is scanned and which baseline belongs to it. */
final class TargetOptions {
  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "Policy file. Default: the embedded policy for the detected system (Qubes dom0, Fedora,"
              + " Debian, or generic).")
  Path policyFile;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description =
          "Baseline file. Default: /var/lib/telltale/baseline.db as root,"
              + " $XDG_DATA_HOME/telltale/baseline.db otherwise.")
  Path baselineFile;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Read the policy's absolute paths under DIR, such as a mounted disk clone, but record"
              + " and report them as the policy writes them. Default: /.")
  Path rootDirectory;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads that hash file content. Default: the number of processors.")
  Integer threads;

  Path root() throws UsageException {
    if (rootDirectory != null && rootDirectory.toString().isEmpty()) {
      throw new UsageException("--root is empty: give the directory to read, such as /mnt/clone");
    }
    Path root = rootDirectory == null ? Path.of("/") : rootDirectory.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new UsageException("--root " + rootDirectory + " is not a directory");
    }
    return root;
  }

  Path baseline() {
    return baselineFile != null ? baselineFile : Locations.defaults().baseline();
  }

  Policy policy() throws PolicyException, OutputException, UsageException {
    if (policyFile != null) {
      return Policy.load(policyFile);
    }
    return Policy.loadDefault(SystemKind.detect(root()));
  }

  /** Returns a scanner of the root directory under the policy, with the --threads option. */
  Scanner scanner(Policy policy, Path root) throws UsageException {
    return new Scanner(root, policy, scanOptions(Progress.wanted()));
  }

  private ScanOptions scanOptions(boolean showProgress) throws UsageException {
    int count = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (count < 1 || count > 256) {
      throw new UsageException("--threads " + count + " is out of range: give 1 to 256");
    }
    return new ScanOptions(count, showProgress);
  }
}
