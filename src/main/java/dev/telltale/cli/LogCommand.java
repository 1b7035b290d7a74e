package dev.telltale.cli;

import dev.telltale.alert.SealKey;
import dev.telltale.alert.SealedLog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code telltale log}: commands on sealed logs. */
@Command(
    name = "log",
    description = "Work with sealed logs.",
    subcommands = {LogCommand.Verify.class})
final class LogCommand {

  /** {@code telltale log verify}: checks every seal, number and link of a sealed log. */
  @Command(
      name = "verify",
      description = {
        "Verify a sealed log with the key printed by seal-init.",
        "Exits 0 if the log is intact and 20 on any edit, deletion, reordering, truncated record"
            + " or chain restart, naming the first bad record.",
        "Records dropped from the end leave no trace in the log: give --expect-at-least with the"
            + " last sequence number the receiver saw."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--log", required = true, paramLabel = "PATH", description = "Sealed log.")
    Path log;

    @Option(
        names = "--seal-key",
        required = true,
        paramLabel = "KEY",
        description = "Verification key printed by seal-init.")
    String sealKey;

    @Option(
        names = "--expect-at-least",
        paramLabel = "N",
        description = "Fail unless the log reaches record N (the last number seen off-host).")
    long expectAtLeast;

    @Override
    public Integer call() throws Exception {
      SealKey key = SealKey.parse(sealKey);
      try {
        SealedLog.Summary summary = SealedLog.verify(log, key, expectAtLeast);
        spec.commandLine()
            .getOut()
            .println(
                log
                    + ": intact, "
                    + summary.records()
                    + " records of chain "
                    + key.chainId()
                    + ", last record "
                    + summary.lastSequence());
      } finally {
        key.destroy();
      }
      return 0;
    }
  }
}
