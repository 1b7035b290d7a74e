package dev.telltale.cli;

import dev.telltale.UsageException;
import dev.telltale.crypto.KeyException;
import dev.telltale.crypto.KeyFiles;
import dev.telltale.crypto.KeyUnlock;
import dev.telltale.crypto.VerifyKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the keys are: a key directory, or for verification alone a public key file. */
final class KeyOptions {
  @Option(
      names = "--key-dir",
      paramLabel = "DIR",
      description =
          "Directory with telltale.key and telltale.pub. Default: /etc/telltale as root,"
              + " $XDG_CONFIG_HOME/telltale otherwise.")
  Path keyDirectory;

  Path directory() {
    return keyDirectory != null ? keyDirectory : Locations.defaults().keyDirectory();
  }

  Path secretKeyFile() {
    return directory().resolve(KeyFiles.SECRET_KEY_FILE);
  }

  Path publicKeyFile() {
    return directory().resolve(KeyFiles.PUBLIC_KEY_FILE);
  }

  /**
   * Reads the private key file of the key directory and the passphrase, and starts unlocking the
   * key on a thread of its own. A malformed key file fails here; a wrong passphrase fails when the
   * derivation ends. The passphrase is cleared as soon as the key is derived.
   */
  KeyUnlock signingKey(PassphraseOptions passphrases) throws UsageException, KeyException {
    KeyFiles.LockedKey locked = KeyFiles.readLockedKey(secretKeyFile());
    return KeyUnlock.start(locked, passphrases.read(false));
  }

  /** Loads the public key from {@code publicKeyFile} when given, else from the key directory. */
  VerifyKey verifyKey(Path publicKeyFile) throws KeyException {
    return KeyFiles.loadVerifyKey(publicKeyFile != null ? publicKeyFile : publicKeyFile());
  }
}
