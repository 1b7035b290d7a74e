package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.crypto.KeyUnlock;
import dev.telltale.packages.PackageSet;
import dev.telltale.policy.Policy;
import dev.telltale.run.InitJob;
import dev.telltale.scan.Scanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Scan the system under the policy and write a signed baseline.",
      "Exit code 0 when every entry was read, 8 when some could not be (they are recorded with"
          + " their error)."
    })
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;
  @Mixin KeyOptions keys;
  @Mixin PassphraseOptions passphraseOptions;
  @Mixin PackageOptions packages;

  @Option(
      names = "--force",
      description =
          "Replace an existing baseline. The old one is kept next to it under a timestamped"
              + " name.")
  boolean force;

  @Override
  @SuppressWarnings("try") // the progress line only needs closing
  public Integer call() throws TelltaleException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path baseline = target.baseline();
    if (Files.exists(baseline) && !force) {
      throw new dev.telltale.UsageException(
          "baseline "
              + baseline
              + " exists: use 'telltale update' to accept changes, or 'init --force' to replace"
              + " it (the old one is kept)");
    }
    createParentDirectory(baseline);
    Policy policy = target.policy();
    Path root = target.root();
    try (KeyUnlock key = keys.signingKey(passphraseOptions)) {
      Scanner scanner = target.scanner(policy, root);
      InitJob.Result result;
      try (Progress progress = Progress.start(scanner, err)) {
        result =
            InitJob.run(
                policy,
                scanner,
                root,
                baseline,
                key,
                VersionProvider.version(),
                packages.source(),
                force);
      }
      out.println("baseline: " + baseline);
      out.println("entries:  " + result.entries());
      if (result.keptPrevious() != null) {
        out.println("previous baseline kept as " + result.keptPrevious());
      }
      out.println("key:      " + key.verifyKey().fingerprint());
      out.println("policy:   " + policy.sourceName() + " (sha256 " + policy.digestSha256() + ")");
      PackageSet recorded = result.packages();
      if (recorded != null) {
        out.println("packages: " + recorded.packages().size() + " from " + recorded.source());
        for (String note : recorded.notes()) {
          err.println("telltale: " + note);
        }
      } else if (PackageSet.hasRpmdb(root, packages.rpmdb)) {
        out.println("packages: not recorded; give --keyring FILE to record the rpmdb's headers");
      }
      if (result.unreadable() > 0) {
        err.println(
            "telltale: "
                + result.unreadable()
                + " entries could not be read and are recorded with their error;"
                + " 'telltale print-db' lists them");
        return ExitCode.INCOMPLETE.code();
      }
    }
    return ExitCode.CLEAN.code();
  }

  /** Creates the baseline's directory, readable by the owner alone, as keygen does for keys. */
  private static void createParentDirectory(Path baseline) throws OutputException {
    Path parent = baseline.toAbsolutePath().getParent();
    if (parent == null || Files.isDirectory(parent)) {
      return;
    }
    try {
      Files.createDirectories(
          parent,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new OutputException("cannot create the baseline's directory " + parent + ": " + e, e);
    }
  }
}
