package dev.telltale.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.ExitCode;
import dev.telltale.OutputException;
import dev.telltale.TamperException;
import dev.telltale.cli.Main;
import dev.telltale.testing.DebianPackages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCheckTest {
  @TempDir Path directory;

  private Path sealedBundle() throws Exception {
    Path root = TestBundles.smallBundle(directory);
    BundleBuilder.seal(root, null);
    return root;
  }

  private Path signedBundle(KeyPair pair) throws Exception {
    Path root = TestBundles.smallBundle(directory);
    BundleBuilder.seal(root, TestBundles.writePrivateKey(pair, directory.resolve("signing.pem")));
    return root;
  }

  @Test
  void sealedBundleMatches() throws Exception {
    BundleCheck.Result result = BundleCheck.check(sealedBundle(), null);

    assertThat(result.findings()).isEmpty();
    assertThat(result.listedFiles()).isEqualTo(3);
  }

  @Test
  void flippedByteIsChanged() throws Exception {
    Path root = sealedBundle();
    byte[] jar = Files.readAllBytes(root.resolve("lib/telltale.jar"));
    jar[0] ^= 1;
    Files.write(root.resolve("lib/telltale.jar"), jar);

    assertThat(BundleCheck.check(root, null).findings())
        .extracting(Finding::kind, Finding::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Finding.Kind.CHANGED, "lib/telltale.jar"));
  }

  @Test
  void removedFileIsMissing() throws Exception {
    Path root = sealedBundle();
    Files.delete(root.resolve("bin/telltale"));

    assertThat(BundleCheck.check(root, null).findings())
        .extracting(Finding::kind)
        .containsExactly(Finding.Kind.MISSING);
  }

  @Test
  void addedFileIsUnexpected() throws Exception {
    Path root = sealedBundle();
    TestBundles.write(root.resolve("lib/agent.jar"), "extra");

    assertThat(BundleCheck.check(root, null).findings())
        .extracting(Finding::kind, Finding::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Finding.Kind.UNEXPECTED, "lib/agent.jar"));
  }

  @Test
  void symlinkInPlaceOfFileIsChanged() throws Exception {
    Path root = sealedBundle();
    Path copy = Files.copy(root.resolve("lib/telltale.jar"), directory.resolve("elsewhere.jar"));
    Files.delete(root.resolve("lib/telltale.jar"));
    Files.createSymbolicLink(root.resolve("lib/telltale.jar"), copy);

    assertThat(BundleCheck.check(root, null).findings())
        .extracting(Finding::kind)
        .containsExactly(Finding.Kind.CHANGED);
  }

  @Test
  void signedBundleVerifies() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();

    BundleCheck.Result result = BundleCheck.check(signedBundle(pair), pair.getPublic());

    assertThat(result.signerFingerprint())
        .isEqualTo(ManifestSignature.fingerprint(pair.getPublic()));
  }

  @Test
  void embeddedKeyIsBuilders() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();

    assertThat(BundleCheck.embeddedPublicKey(signedBundle(pair)).getEncoded())
        .isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void rewrittenManifestIsTamper() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    Path root = signedBundle(pair);
    // An attacker changes a file and writes a consistent manifest, but cannot sign it.
    TestBundles.write(root.resolve("bin/telltale"), "#!/bin/bash\nevil\n");
    Files.write(root.resolve(BundleManifest.FILE_NAME), BundleBuilder.compute(root).toBytes());

    assertThatThrownBy(() -> BundleCheck.check(root, pair.getPublic()))
        .isInstanceOf(TamperException.class);
  }

  @Test
  void unsignedBundleWithKeyIsTamper() throws Exception {
    Path root = sealedBundle();

    assertThatThrownBy(() -> BundleCheck.check(root, TestBundles.newKeyPair().getPublic()))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void missingManifestIsIoError() throws Exception {
    Path root = TestBundles.smallBundle(directory);

    assertThatThrownBy(() -> BundleCheck.check(root, null))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("not a telltale bundle");
  }

  @Test
  void sha256sumAcceptsManifest() throws Exception {
    Path sha256sum = DebianPackages.require("sha256sum", "coreutils");
    Path root = sealedBundle();

    Process process =
        new ProcessBuilder(
                sha256sum.toString(), "--check", "--strict", "--quiet", BundleManifest.FILE_NAME)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void selfcheckCommandPassesCleanBundle() throws Exception {
    Path root = sealedBundle();
    StringWriter out = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "selfcheck",
            "--bundle",
            root.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("3 files match");
  }

  @Test
  void selfcheckCommandReportsTamper() throws Exception {
    Path root = sealedBundle();
    TestBundles.write(root.resolve("lib/telltale.jar"), "replaced");
    StringWriter out = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "selfcheck",
            "--bundle",
            root.toString());

    assertThat(code).isEqualTo(ExitCode.TAMPERED.code());
    assertThat(out.toString()).startsWith("changed lib/telltale.jar: sha256 ");
  }

  @Test
  void selfcheckCommandVerifiesWithPub() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    Path root = signedBundle(pair);
    Path pub = TestBundles.writePublicKey(pair, directory.resolve("trusted/builder.pub"));
    StringWriter out = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "selfcheck",
            "--bundle",
            root.toString(),
            "--signature",
            "--pub",
            pub.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("signed by SHA256:");
  }

  @Test
  void selfcheckCommandRejectsOtherKey() throws Exception {
    Path root = signedBundle(TestBundles.newKeyPair());
    Path pub = TestBundles.writePublicKey(TestBundles.newKeyPair(), directory.resolve("other.pub"));
    StringWriter err = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            "selfcheck",
            "--bundle",
            root.toString(),
            "--signature",
            "--pub",
            pub.toString());

    assertThat(code).isEqualTo(ExitCode.TAMPERED.code());
  }

  @Test
  void selfcheckOutsideBundleIsUsageError() {
    StringWriter err = new StringWriter();

    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "selfcheck");

    assertThat(code).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("--bundle");
  }
}
