package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import dev.telltale.crypto.KeyUnlock;
import dev.telltale.packages.PackageIndex;
import dev.telltale.policy.Policy;
import dev.telltale.run.Acceptance;
import dev.telltale.run.Digests;
import dev.telltale.run.ExplainedAcceptance;
import dev.telltale.run.ReportAcceptance;
import dev.telltale.run.UpdateJob;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.PathEscape;
import dev.telltale.scan.Scanner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = {
      "Accept changes into a new signed baseline.",
      "The current baseline is verified first and kept next to the new one under a timestamped"
          + " name. Entries that cannot be read keep their old values. Exit code 0 when every"
          + " selected change was accepted, 8 when some were refused (each is named on standard"
          + " error)."
    })
final class UpdateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;
  @Mixin KeyOptions keys;
  @Mixin PassphraseOptions passphraseOptions;
  @Mixin PackageOptions packages;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Selection selection;

  static final class Selection {
    @Option(names = "--accept-all", description = "Accept every change.")
    boolean all;

    @Option(
        names = "--accept",
        paramLabel = "PATH",
        arity = "1..*",
        description =
            "Accept the changes at PATH and below it. PATH is written as in reports, with the %%XX"
                + " escape for unusual bytes.")
    List<String> paths;

    @Option(
        names = "--report",
        paramLabel = "FILE",
        description =
            "Accept exactly the changes listed in FILE, a JSON report of 'check --format json'"
                + " made against the current baseline, and each only if the live entry is still"
                + " what the report saw.")
    Path reportFile;

    @Option(
        names = "--accept-explained",
        description =
            "Accept only the changes that 'check --explain-packages' marks as explained: files"
                + " whose new state an rpmdb header verified with --keyring states, added or"
                + " replacing headers that verify, and headers removed by an upgrade.")
    boolean explained;
  }

  @Override
  @SuppressWarnings("try") // the progress line only needs closing
  public Integer call() throws TelltaleException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Policy policy = target.policy();
    Path root = target.root();
    Path baseline = target.baseline();
    Acceptance acceptance = acceptance(baseline);
    try (KeyUnlock key = keys.signingKey(passphraseOptions)) {
      Scanner scanner = target.scanner(policy, root);
      UpdateJob.Result result;
      try (Progress progress = Progress.start(scanner, err)) {
        result =
            UpdateJob.run(
                policy,
                scanner,
                root,
                baseline,
                key,
                VersionProvider.version(),
                packages.source(),
                acceptance);
      }
      for (String accepted : result.acceptedChanges()) {
        out.println("accepted " + accepted);
      }
      out.println("accepted: " + result.accepted() + " changes");
      out.println("left:     " + result.kept() + " changes not accepted");
      out.println("baseline: " + baseline + " (sha256 " + result.newBaselineSha256() + ")");
      out.println("previous: " + result.keptPrevious());
      UpdateJob.PackageResult packageResult = result.packages();
      if (packageResult.source() != null) {
        out.println(
            "packages: "
                + packageResult.recorded()
                + " recorded from "
                + packageResult.source()
                + "; "
                + packageResult.accepted()
                + " changes accepted, "
                + packageResult.left()
                + " not accepted");
      }
      for (String refusal : result.refusals()) {
        err.println("telltale: " + refusal);
      }
      return result.refusals().isEmpty() ? ExitCode.CLEAN.code() : ExitCode.INCOMPLETE.code();
    }
  }

  private Acceptance acceptance(Path baseline) throws TelltaleException {
    if (selection.all) {
      return new Acceptance.All();
    }
    if (selection.explained) {
      if (packages.keyrings.isEmpty()) {
        throw new UsageException(
            "--accept-explained needs the vendor's public keys: give them with --keyring FILE");
      }
      return new ExplainedAcceptance(
          PackageIndex.load(target.root(), packages.rpmdb, packages.keyrings));
    }
    if (selection.paths != null) {
      List<FsPath> paths = new ArrayList<>();
      for (String text : selection.paths) {
        try {
          paths.add(FsPath.parse(text));
        } catch (PathEscape.MalformedEscapeException e) {
          throw new UsageException("--accept " + text + ": " + e.getMessage());
        }
      }
      return new Acceptance.Paths(paths);
    }
    return ReportAcceptance.read(selection.reportFile, Digests.sha256Hex(baseline));
  }
}
