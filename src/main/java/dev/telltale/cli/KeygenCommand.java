package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;
import dev.telltale.crypto.KeyFiles;
import dev.telltale.crypto.Passphrase;
import dev.telltale.crypto.VerifyKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate the Ed25519 key pair that signs baselines.",
      "The private key in telltale.key is encrypted under a passphrase (Argon2id, AES-256-GCM);"
          + " telltale.pub holds the public key. Write down the fingerprint this prints and keep"
          + " it offline: a check names the fingerprint of the key it trusted."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeyOptions keys;
  @Mixin PassphraseOptions passphraseOptions;

  @Override
  public Integer call() throws TelltaleException {
    PrintWriter out = spec.commandLine().getOut();
    try (Passphrase passphrase = passphraseOptions.read(true)) {
      VerifyKey key = KeyFiles.generate(keys.directory(), passphrase);
      out.println("private key: " + keys.secretKeyFile());
      out.println("public key:  " + keys.publicKeyFile());
      out.println("fingerprint: " + key.fingerprint());
    }
    return ExitCode.CLEAN.code();
  }
}
