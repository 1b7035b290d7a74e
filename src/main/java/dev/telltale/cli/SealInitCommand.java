package dev.telltale.cli;

import dev.telltale.alert.ChainStart;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code telltale seal-init}: starts a sealing chain and prints its verification key once. */
@Command(
    name = "seal-init",
    description = {
      "Start a sealing chain and a sealed log, and print the verification key once.",
      "The key is the last line of standard output. Write it down or move it off the host:"
          + " the host stores no copy, and without it nobody can verify the log."
    })
final class SealInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--log",
      required = true,
      paramLabel = "PATH",
      description = "Sealed log to start; record 0 of the chain is written to it.")
  Path log;

  @Option(
      names = "--force",
      description = "Replace an existing chain. Receivers and verifiers will report a restart.")
  boolean force;

  @Mixin SinkOptions sinkOptions;

  @Override
  public Integer call() throws Exception {
    ChainStart.Started started =
        ChainStart.start(sinkOptions.stateDirectory(), log, sinkOptions.sinkUris(), force);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Started chain "
            + started.chainId()
            + " in "
            + sinkOptions.stateDirectory()
            + " with log "
            + log
            + ".");
    out.println("Verification key (shown once, not stored on this host):");
    out.println(started.printedKey());
    return 0;
  }
}
