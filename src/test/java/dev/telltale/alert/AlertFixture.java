package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs telltale commands in-process and starts chains for the alert tests. */
final class AlertFixture {
  /** The output of one command run. */
  record Run(int exitCode, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }

  private AlertFixture() {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs a command with the given bytes as standard input. */
  static Run runWithStdin(byte[] stdin, String... args) {
    return runWithStdin(new ByteArrayInputStream(stdin), args);
  }

  /** Runs a command with the given stream as standard input. */
  static synchronized Run runWithStdin(InputStream stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(stdin);
    try {
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  /**
   * Starts a chain with its sealed log, replacing any chain in the directory, and returns the
   * printed verification key.
   */
  static String sealInit(Path stateDirectory, Path log, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of("seal-init", "--log=" + log, "--state-dir=" + stateDirectory, "--force"));
    args.addAll(List.of(extraArgs));
    Run run = run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.outLines();
    return lines.get(lines.size() - 1);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
