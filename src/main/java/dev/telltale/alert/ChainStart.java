package dev.telltale.alert;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starting a sealing chain: what {@code telltale seal-init} does. */
public final class ChainStart {
  /**
   * A started chain.
   *
   * @param chainId the chain id
   * @param printedKey k0 in its printed form, to be shown once and never stored
   */
  public record Started(String chainId, String printedKey) {}

  private ChainStart() {}

  /**
   * Starts a chain in the state directory and seals record 0 ({@code chain.start}) into the log and
   * the other sinks at once, so that k0 leaves the host's state before this method returns.
   *
   * @param replace start a new chain even if one exists, and append to a log that has records
   * @throws OutputException if a chain exists or the log has records and {@code replace} is false,
   *     or if the log or the state cannot be written
   */
  public static Started start(Path stateDirectory, Path log, List<String> sinkUris, boolean replace)
      throws TelltaleException {
    try {
      if (!replace && Files.exists(log) && Files.size(log) > 0) {
        throw new OutputException(
            "sealed log " + log + " already has records: pass --force to start a new chain in it");
      }
      Path parent = log.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      if (!Files.isWritable(parent) || (Files.exists(log) && !Files.isWritable(log))) {
        throw new OutputException("cannot write sealed log " + log + ": permission denied");
      }
    } catch (IOException e) {
      throw new OutputException("cannot create sealed log " + log + ": " + e.getMessage(), e);
    }
    List<String> uris = new ArrayList<>();
    uris.add("sealed:" + log);
    uris.addAll(sinkUris);
    // Parses every sink URI before a chain exists, so a typo does not leave a chain behind.
    for (String uri : uris) {
      Sinks.open(uri).close();
    }
    SealKey initialKey = SealState.initialize(stateDirectory, replace);
    Started started;
    try {
      started = new Started(initialKey.chainId(), initialKey.format());
    } finally {
      initialKey.destroy();
    }
    try (Alerts alerts = Alerts.open(uris, stateDirectory)) {
      alerts.emit("chain.start", "{\"log\":" + JsonPayload.quote(log.toString()) + "}");
    }
    return started;
  }
}
