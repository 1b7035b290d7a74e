package dev.telltale.cli;

import dev.telltale.alert.Alerts;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code telltale heartbeat}: sends one heartbeat record, for a systemd timer. */
@Command(
    name = "heartbeat",
    description =
        "Send one heartbeat record with the last check's result to the sinks, so that a receiver"
            + " notices when the host falls silent.")
final class HeartbeatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SinkOptions sinkOptions;

  @Override
  public Integer call() throws Exception {
    try (Alerts alerts = Alerts.open(sinkOptions.sinkUris(), sinkOptions.stateDirectory())) {
      alerts.heartbeat();
    }
    return 0;
  }
}
