package dev.telltale.cli;

import dev.telltale.UsageException;
import dev.telltale.crypto.KeyException;
import dev.telltale.crypto.Passphrase;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Sources of the private key's passphrase, in order: {@code --passphrase-file}, the environment
 * variable {@code TELLTALE_PASSPHRASE}, then a prompt on the terminal. The passphrase is never
 * echoed, logged or put in a message.
 */
final class PassphraseOptions {
  static final String ENVIRONMENT_VARIABLE = "TELLTALE_PASSPHRASE";
  private static final int MAX_FILE_BYTES = 4096;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "Read the key's passphrase from the first line of FILE, instead of the environment"
              + " variable TELLTALE_PASSPHRASE or a prompt on the terminal.")
  Path passphraseFile;

  /**
   * Reads the passphrase.
   *
   * @param confirm whether a terminal prompt requests it twice, as it should for a new key
   * @throws UsageException when there is no source of a passphrase
   * @throws KeyException when the passphrase file cannot be read or is empty
   */
  Passphrase read(boolean confirm) throws UsageException, KeyException {
    return read(confirm, System.getenv(), System.console());
  }

  Passphrase read(boolean confirm, Map<String, String> environment, Console console)
      throws UsageException, KeyException {
    if (passphraseFile != null) {
      return fromFile(passphraseFile);
    }
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null) {
      if (fromEnvironment.isEmpty()) {
        throw new KeyException(ENVIRONMENT_VARIABLE + " is empty: set it to the key's passphrase");
      }
      return new Passphrase(fromEnvironment.toCharArray());
    }
    if (console != null && console.isTerminal()) {
      return prompt(console, confirm);
    }
    throw new UsageException(
        "no passphrase: not on a terminal, "
            + ENVIRONMENT_VARIABLE
            + " is not set, and no --passphrase-file was given");
  }

  private static Passphrase prompt(Console console, boolean confirm) throws KeyException {
    char[] first = console.readPassword("Passphrase for the telltale key: ");
    if (first == null || first.length == 0) {
      throw new KeyException("no passphrase entered");
    }
    if (confirm) {
      char[] second = console.readPassword("Repeat the passphrase: ");
      boolean same = second != null && Arrays.equals(first, second);
      if (second != null) {
        Arrays.fill(second, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new KeyException("the two passphrases differ: run the command again");
      }
    }
    return new Passphrase(first);
  }

  private static Passphrase fromFile(Path file) throws KeyException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new KeyException("cannot read the passphrase file " + file + ": " + e.getMessage(), e);
    }
    try {
      if (bytes.length > MAX_FILE_BYTES) {
        throw new KeyException(
            "passphrase file "
                + file
                + " is over "
                + MAX_FILE_BYTES
                + " bytes: is it the right file?");
      }
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      if (end == 0) {
        throw new KeyException("passphrase file " + file + " has an empty first line");
      }
      CharBuffer chars;
      try {
        chars =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, end));
      } catch (CharacterCodingException e) {
        throw new KeyException("passphrase file " + file + " is not valid UTF-8", e);
      }
      char[] passphrase = new char[chars.remaining()];
      chars.get(passphrase);
      Arrays.fill(chars.array(), '\0');
      return new Passphrase(passphrase);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
