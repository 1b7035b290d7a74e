package dev.telltale.cli;

import dev.telltale.UsageException;
import dev.telltale.crypto.KeyException;
import dev.telltale.crypto.KeyFiles;
import dev.telltale.crypto.Passphrase;
import dev.telltale.crypto.SigningKey;
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
   * Reads the passphrase and unlocks the private key of the key directory. The passphrase is
   * cleared as soon as the key is derived.
   */
  SigningKey signingKey(PassphraseOptions passphrases) throws UsageException, KeyException {
    try (Passphrase passphrase = passphrases.read(false)) {
      return KeyFiles.loadSigningKey(secretKeyFile(), passphrase);
    }
  }

  /** Loads the public key from {@code publicKeyFile} when given, else from the key directory. */
  VerifyKey verifyKey(Path publicKeyFile) throws KeyException {
    return KeyFiles.loadVerifyKey(publicKeyFile != null ? publicKeyFile : publicKeyFile());
  }
}
