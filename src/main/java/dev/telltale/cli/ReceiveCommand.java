package dev.telltale.cli;

import dev.telltale.UsageException;
import dev.telltale.alert.ChainVerifier;
import dev.telltale.alert.Receiver;
import dev.telltale.alert.SealKey;
import dev.telltale.alert.Sinks;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code telltale receive}: the off-host receiver of alert records. */
@Command(
    name = "receive",
    description = {
      "Receive alert records on a second device, verify their seals and numbers, and print them.",
      "Raises an alarm on a bad seal, a gap, a repeat, a chain restart or a missed heartbeat;"
          + " exits 20 at the end if any alarm was raised, else 0."
    })
final class ReceiveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Source {
    @Option(names = "--serial", paramLabel = "DEV", description = "Read from this serial line.")
    String serial;

    @Option(
        names = "--listen",
        paramLabel = "HOST:PORT",
        description = "Accept TCP connections carrying syslog frames or plain record lines.")
    String listen;

    @Option(names = "--stdin", description = "Read record lines from standard input.")
    boolean stdin;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--seal-key",
      required = true,
      paramLabel = "KEY",
      description = "Verification key printed by seal-init.")
  String sealKey;

  @Option(
      names = "--baud",
      paramLabel = "N",
      defaultValue = "115200",
      description = "Speed of the serial line in bits per second (default: ${DEFAULT-VALUE}).")
  int baud;

  @Option(
      names = "--heartbeat-timeout",
      paramLabel = "SECONDS",
      description = "Raise an alarm when no record arrives for this many seconds.")
  Long heartbeatTimeoutSeconds;

  @Option(
      names = "--on-alarm",
      paramLabel = "COMMAND",
      description = "Shell command run on each alarm, with the message in $TELLTALE_ALARM.")
  String alarmCommand;

  @Option(
      names = "--start-at",
      paramLabel = "N",
      defaultValue = "0",
      description = "First record number to expect, when the chain started before this receiver.")
  long startAt;

  @Option(names = "--once", description = "With --listen: stop when the first connection closes.")
  boolean once;

  InputStream stdin = System.in;

  @Override
  public Integer call() throws Exception {
    if (heartbeatTimeoutSeconds != null && heartbeatTimeoutSeconds <= 0) {
      throw new UsageException(
          "invalid --heartbeat-timeout " + heartbeatTimeoutSeconds + ": give a positive number");
    }
    if (source.serial != null && !Sinks.isSupportedSpeed(baud)) {
      throw new UsageException(
          "invalid --baud " + baud + ": supported are " + Sinks.supportedSpeeds());
    }
    if (startAt < 0) {
      throw new UsageException("invalid --start-at " + startAt + ": give 0 or more");
    }
    InetSocketAddress address = source.listen == null ? null : address(source.listen);
    SealKey key = SealKey.parse(sealKey);
    ChainVerifier verifier;
    try {
      verifier = new ChainVerifier(key, startAt);
    } finally {
      key.destroy();
    }
    Receiver receiver =
        new Receiver(
            verifier,
            heartbeatTimeoutSeconds == null ? null : Duration.ofSeconds(heartbeatTimeoutSeconds),
            alarmCommand,
            spec.commandLine().getOut(),
            spec.commandLine().getErr());
    if (source.stdin) {
      receiver.receive(stdin);
    } else if (source.serial != null) {
      receiver.receiveSerial(source.serial, baud);
    } else {
      receiver.listen(address, once);
    }
    return receiver.alarmed() ? dev.telltale.ExitCode.TAMPERED.code() : 0;
  }

  private static InetSocketAddress address(String text) throws UsageException {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || !text.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw new UsageException("invalid --listen '" + text + "': expected HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(text.substring(colon + 1));
    if (port > 65535) {
      throw new UsageException("invalid --listen '" + text + "': port above 65535");
    }
    return new InetSocketAddress(host, port);
  }
}
