package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code telltale} command. Subcommands write results to the command line's out writer and
 * diagnostics to its err writer, and signal failures by throwing a {@link TelltaleException}; this
 * class turns those into the exit codes of the design.
 */
@Command(
    name = "telltale",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "File-integrity monitor and host intrusion detector.",
    subcommands = {
      CommandLine.HelpCommand.class,
      KeygenCommand.class,
      InitCommand.class,
      CheckCommand.class,
      UpdateCommand.class,
      PrintDbCommand.class,
      PolicyCheckCommand.class,
      PackagesCommand.class,
      SelfcheckCommand.class,
      SealInitCommand.class,
      LogCommand.class,
      ReceiveCommand.class,
      HeartbeatCommand.class,
      WatchCommand.class
    })
public final class Main {

  /** Runs telltale and exits with its exit code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code;
    try {
      code = run(out, err, args);
    } catch (Throwable e) {
      // An Error such as OutOfMemoryError passes picocli's handlers; without this the JVM would
      // exit with 1, which the exit code table reads as "entries added".
      err.println("telltale: internal error: " + e);
      code = ExitCode.INTERNAL.code();
    }
    err.flush();
    System.exit(code);
  }

  /** Runs telltale with the given writers and returns the exit code, without exiting. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Printed before the command model is built, because picocli's reflection over every
      // subcommand took most of the start-up time of --version.
      out.println(VersionProvider.versionLine());
      out.flush();
      return ExitCode.CLEAN.code();
    }
    CommandLine commandLine = commandLine(out, err);
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Builds the command line with telltale's exit codes and error handling. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // picocli's own codes (1 and 2) would collide with the finding bits of a check.
    commandLine.setExitCodeExceptionMapper(Main::exitCodeOf);
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          CommandLine failed = exception.getCommandLine();
          failed.getErr().println("telltale: " + exception.getMessage());
          failed.getErr().println("Run '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          if (exception instanceof TelltaleException known) {
            failed.getErr().println("telltale: " + known.getMessage());
            return known.exitCode().code();
          }
          failed.getErr().println("telltale: internal error: " + exception);
          exception.printStackTrace(failed.getErr());
          return ExitCode.INTERNAL.code();
        });
    return commandLine;
  }

  private static int exitCodeOf(Throwable exception) {
    if (exception instanceof TelltaleException known) {
      return known.exitCode().code();
    }
    if (exception instanceof CommandLine.ParameterException) {
      return ExitCode.USAGE.code();
    }
    return ExitCode.INTERNAL.code();
  }
}
