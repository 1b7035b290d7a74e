package dev.telltale.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.crypto.KeyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealStateTest {
  @TempDir Path directory;

  @Test
  void missingChainIsKeyError() {
    assertThatThrownBy(() -> SealState.open(directory.resolve("none")))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("seal-init");
  }

  @Test
  void sealAdvancesSequence() throws Exception {
    SealState.initialize(directory, false).destroy();
    try (SealState state = SealState.open(directory)) {
      assertThat(state.seal("h", "heartbeat", "{}", Instant.now()).sequence()).isZero();
      assertThat(state.seal("h", "heartbeat", "{}", Instant.now()).sequence()).isEqualTo(1);
    }
    try (SealState state = SealState.open(directory)) {
      assertThat(state.nextSequence()).isEqualTo(2);
    }
  }

  @Test
  void crashBeforeRenameKeepsNewState() throws Exception {
    SealState.initialize(directory, false).destroy();
    try (SealState state = SealState.open(directory)) {
      state.seal("h", "heartbeat", "{}", Instant.now());
    }
    // Replays the state of a crash after the old file was wiped but before the rename.
    Path stateFile = directory.resolve(SealState.STATE_FILE);
    Files.copy(stateFile, directory.resolve(SealState.NEW_STATE_FILE));
    Files.write(stateFile, new byte[(int) Files.size(stateFile)]);
    try (SealState state = SealState.open(directory)) {
      assertThat(state.nextSequence()).isEqualTo(1);
    }
    assertThat(Files.exists(directory.resolve(SealState.NEW_STATE_FILE))).isFalse();
  }

  @Test
  void incompleteNewStateIsDiscarded() throws Exception {
    SealState.initialize(directory, false).destroy();
    Files.writeString(directory.resolve(SealState.NEW_STATE_FILE), "telltale-seal-state/1\nch");
    try (SealState state = SealState.open(directory)) {
      assertThat(state.nextSequence()).isZero();
    }
  }

  @Test
  void malformedStateIsKeyError() throws Exception {
    SealState.initialize(directory, false).destroy();
    Files.writeString(directory.resolve(SealState.STATE_FILE), "garbage\n");
    assertThatThrownBy(() -> SealState.open(directory))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("malformed sealing state");
  }
}
