package dev.telltale.cli;

import dev.telltale.UsageException;
import dev.telltale.alert.SealState;
import dev.telltale.alert.Sinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that name the sealing state and the sinks, shared by the alerting commands. */
final class SinkOptions {
  @Option(
      names = "--sink",
      paramLabel = "URI",
      description =
          "Send records to this sink (repeatable): sealed:PATH, file:PATH, exec:COMMAND,"
              + " serial:DEVICE?baud=N, syslog+tcp://HOST:PORT, syslog+tls://HOST:PORT?ca=FILE.")
  List<String> sinks = new ArrayList<>();

  @Option(
      names = "--sink-config",
      paramLabel = "FILE",
      description = "Read sink URIs from this file, one per line; '#' starts a comment line.")
  Path sinkConfig;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Directory of the sealing state and spools (default: /var/lib/telltale/seal for root,"
              + " else $XDG_STATE_HOME/telltale/seal).")
  Path stateDirectory;

  /** Returns the sinks from the options and the configuration file, checked. */
  List<String> sinkUris() throws UsageException {
    List<String> all = new ArrayList<>();
    if (sinkConfig != null) {
      all.addAll(Sinks.readConfig(sinkConfig));
    }
    for (String uri : sinks) {
      Sinks.validate(uri);
      all.add(uri);
    }
    return all;
  }

  Path stateDirectory() {
    return stateDirectory != null ? stateDirectory : SealState.defaultDirectory();
  }
}
