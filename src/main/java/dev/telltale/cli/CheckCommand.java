package dev.telltale.cli;

import dev.telltale.OutputException;
import dev.telltale.TamperException;
import dev.telltale.TelltaleException;
import dev.telltale.compare.Summary;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.policy.Policy;
import dev.telltale.report.ReportFormat;
import dev.telltale.run.CheckJob;
import dev.telltale.scan.Scanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the baseline's signature, scan the system and report the differences.",
      "Exit code: 0 when nothing differs; otherwise the OR of 1 (added), 2 (removed), 4 (changed)"
          + " and 8 (some entries could not be read or verified). 20 when the baseline's signature"
          + " does not verify: treat that as tampering."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;
  @Mixin KeyOptions keys;

  @Option(
      names = "--pub",
      paramLabel = "FILE",
      description =
          "Public key file that verifies the baseline, such as a copy kept on offline media."
              + " Default: telltale.pub in the key directory.")
  Path publicKeyFile;

  @Option(
      names = "--expect-fingerprint",
      paramLabel = "FINGERPRINT",
      description =
          "Fail with exit code 20 unless the public key has this fingerprint, the one keygen"
              + " printed.")
  String expectedFingerprint;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Report format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
      defaultValue = "text")
  ReportFormat format;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  @Override
  @SuppressWarnings("try") // the progress line only needs closing
  public Integer call() throws TelltaleException {
    PrintWriter err = spec.commandLine().getErr();
    VerifyKey key = keys.verifyKey(publicKeyFile);
    if (expectedFingerprint != null && !expectedFingerprint.equals(key.fingerprint())) {
      throw new TamperException(
          "the public key's fingerprint is "
              + key.fingerprint()
              + ", not the expected "
              + expectedFingerprint
              + ": the key file was replaced, or the wrong one was given");
    }
    Policy policy = target.policy();
    Path root = target.root();
    Scanner scanner = new Scanner(root, policy, target.scanOptions(Progress.wanted()));
    Summary summary;
    try (Writer writer = openOutput();
        Progress progress = Progress.start(scanner, err)) {
      summary =
          CheckJob.run(
              policy,
              scanner,
              root,
              target.baseline(),
              key,
              VersionProvider.version(),
              format.open(writer),
              progress::expectEntries);
      writer.flush();
    } catch (IOException e) {
      throw new OutputException("cannot write the report: " + e.getMessage(), e);
    }
    return summary.exitCode();
  }

  private Writer openOutput() throws OutputException {
    if (output == null) {
      return new NonClosingWriter(spec.commandLine().getOut());
    }
    try {
      return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OutputException("cannot write the report to " + output + ": " + e.getMessage(), e);
    }
  }

  /** Standard output stays open after the report is written. */
  private static final class NonClosingWriter extends java.io.FilterWriter {
    NonClosingWriter(Writer out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
