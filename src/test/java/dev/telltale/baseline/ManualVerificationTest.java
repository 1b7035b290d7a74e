package dev.telltale.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.crypto.KeyFiles;
import dev.telltale.crypto.Passphrase;
import dev.telltale.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shell recipe of docs/formats.md that verifies a baseline with openssl, so the
 * documentation cannot drift from the format. Needs the Debian packages openssl and gzip.
 */
class ManualVerificationTest {
  private static final String PASSPHRASE = "manual check";

  @TempDir Path directory;

  private String recipe;

  @BeforeEach
  void writeBaseline() throws Exception {
    recipe = shellRecipe();
    KeyFiles.generate(directory, new Passphrase(PASSPHRASE.toCharArray()));
    try (SigningKey key =
        KeyFiles.loadSigningKey(
            directory.resolve("telltale.key"), new Passphrase(PASSPHRASE.toCharArray()))) {
      TestBaselines.write(directory.resolve("baseline.db"), key, TestBaselines.sampleEntries());
    }
  }

  @Test
  void opensslRecipeVerifiesBaseline() throws Exception {
    String output = runRecipe(0);

    assertThat(output).contains("Signature Verified Successfully");
  }

  @Test
  void opensslRecipeRejectsAlteredBaseline() throws Exception {
    Path file = directory.resolve("baseline.db");
    String content = TestBaselines.gunzip(file);
    TestBaselines.writeContent(file, content.replace("mode=0755", "mode=0777"));

    String output = runRecipe(1);

    assertThat(output).contains("Signature Verification Failure");
  }

  private String runRecipe(int expectedExitCode) throws Exception {
    requireTool("openssl", "openssl");
    requireTool("zcat", "gzip");
    Process process =
        new ProcessBuilder("bash", "-e", "-c", recipe)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isEqualTo(expectedExitCode);
    return text;
  }

  /** Returns the first {@code sh} block after the heading on verifying a baseline by hand. */
  private static String shellRecipe() throws Exception {
    String docs = Files.readString(Path.of("docs", "formats.md"));
    int heading = docs.indexOf("### Verifying a baseline by hand");
    assertThat(heading).as("heading in docs/formats.md").isNotNegative();
    int start = docs.indexOf("```sh\n", heading) + "```sh\n".length();
    int end = docs.indexOf("```", start);
    return docs.substring(start, end);
  }

  private static void requireTool(String command, String debianPackage) throws Exception {
    Process probe =
        new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    if (probe.waitFor() != 0) {
      throw new AssertionError(
          command + " is missing: install the Debian package " + debianPackage);
    }
  }
}
