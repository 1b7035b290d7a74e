package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.OutputException;
import dev.telltale.TamperException;
import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import dev.telltale.alert.Alerts;
import dev.telltale.alert.HeartbeatState;
import dev.telltale.alert.JsonPayload;
import dev.telltale.compare.Summary;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.policy.Policy;
import dev.telltale.report.ReportFormat;
import dev.telltale.report.Reporter;
import dev.telltale.run.AlertingReporter;
import dev.telltale.run.CheckJob;
import dev.telltale.scan.Scanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
          + " does not verify: treat that as tampering.",
      "When the baseline records a package set, a package added, removed or replaced sets bit 1, 2"
          + " or 4. Changes explained by --explain-packages set their bits too: the baseline is out"
          + " of date all the same; the report counts them apart."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;
  @Mixin KeyOptions keys;
  @Mixin SinkOptions sinkOptions;
  @Mixin PackageOptions packages;

  @Option(
      names = "--explain-packages",
      description =
          "Mark each added or changed file whose new content and metadata match an rpmdb header"
              + " that verifies against the --keyring keys as explained by that package.")
  boolean explainPackages;

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
    if (explainPackages && packages.keyrings.isEmpty()) {
      throw new UsageException(
          "--explain-packages needs the vendor's public keys: give them with --keyring FILE");
    }
    if (publicKeyFile != null && keys.keyDirectory != null) {
      throw new UsageException("give either --key-dir or --pub, not both");
    }
    if (expectedFingerprint != null && !VerifyKey.isFingerprint(expectedFingerprint)) {
      throw new UsageException(
          "--expect-fingerprint "
              + expectedFingerprint
              + " is not a fingerprint: give it as keygen printed it, SHA256: and 43 characters");
    }
    List<String> sinkUris = sinkOptions.sinkUris();
    // The sinks open first, so that a key, policy or baseline that fails is reported off the
    // host too: a swapped public key must not silence the check.
    Alerts alerts = sinkUris.isEmpty() ? null : Alerts.open(sinkUris, sinkOptions.stateDirectory());
    int exitCode = ExitCode.INTERNAL.code();
    try {
      exitCode = check(err, alerts);
      return exitCode;
    } catch (TelltaleException e) {
      exitCode = e.exitCode().code();
      if (alerts != null) {
        sendFailure(alerts, e);
      }
      throw e;
    } finally {
      if (alerts != null) {
        recordForHeartbeat(err, exitCode);
        alerts.close();
      }
    }
  }

  private int check(PrintWriter err, Alerts alerts) throws TelltaleException {
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
    Scanner scanner = target.scanner(policy, root);
    try (Writer writer = openOutput();
        Progress progress = Progress.start(scanner, err)) {
      Reporter reporter = format.open(writer);
      if (alerts != null) {
        reporter = new AlertingReporter(reporter, alerts);
      }
      Summary summary =
          CheckJob.run(
              policy,
              scanner,
              root,
              target.baseline(),
              key,
              VersionProvider.version(),
              packages.source(),
              explainPackages,
              reporter,
              progress::expectEntries);
      writer.flush();
      return summary.exitCode();
    } catch (IOException e) {
      throw new OutputException("cannot write the report: " + e.getMessage(), e);
    }
  }

  /** Sends a failed check to the sinks; a sink error is attached, never put in its place. */
  private static void sendFailure(Alerts alerts, TelltaleException failure) {
    try {
      alerts.emit("error", errorEvent(failure));
    } catch (TelltaleException e) {
      failure.addSuppressed(e);
    }
  }

  private static String errorEvent(TelltaleException failure) {
    return "{\"event\":{\"kind\":\"alert\",\"action\":\"check-failed\",\"module\":\"telltale\"},"
        + "\"error\":{\"message\":"
        + JsonPayload.quote(failure.getMessage())
        + "},\"telltale\":{\"exit_code\":"
        + failure.exitCode().code()
        + "}}";
  }

  /** Stores the result for {@code telltale heartbeat}; a failure here must not hide the check's. */
  private void recordForHeartbeat(PrintWriter err, int exitCode) {
    try {
      new HeartbeatState(Instant.now(), exitCode).write(sinkOptions.stateDirectory());
    } catch (OutputException e) {
      err.println("telltale: warning: cannot record the result for heartbeats: " + e.getMessage());
    }
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
