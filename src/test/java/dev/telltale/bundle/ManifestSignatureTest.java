package dev.telltale.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.TamperException;
import dev.telltale.crypto.KeyException;
import dev.telltale.testing.DebianPackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSignatureTest {
  private static final byte[] MANIFEST =
      ("a".repeat(64) + "  bin/telltale\n").getBytes(StandardCharsets.US_ASCII);

  @TempDir Path directory;

  @Test
  void signatureVerifies() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    byte[] signature = ManifestSignature.sign(pair.getPrivate(), MANIFEST);

    ManifestSignature.verify(pair.getPublic(), MANIFEST, signature, "sig");
  }

  @Test
  void flippedManifestByteIsTamper() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    byte[] signature = ManifestSignature.sign(pair.getPrivate(), MANIFEST);
    byte[] altered = MANIFEST.clone();
    altered[3] ^= 1;

    assertThatThrownBy(() -> ManifestSignature.verify(pair.getPublic(), altered, signature, "sig"))
        .isInstanceOf(TamperException.class);
  }

  @Test
  void wrongKeyIsTamper() throws Exception {
    byte[] signature = ManifestSignature.sign(TestBundles.newKeyPair().getPrivate(), MANIFEST);
    KeyPair other = TestBundles.newKeyPair();

    assertThatThrownBy(
            () -> ManifestSignature.verify(other.getPublic(), MANIFEST, signature, "sig"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining(ManifestSignature.fingerprint(other.getPublic()));
  }

  @Test
  void truncatedSignatureIsTamper() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    String line =
        new String(ManifestSignature.sign(pair.getPrivate(), MANIFEST), StandardCharsets.US_ASCII);
    byte[] truncated = (line.substring(0, 40) + "\n").getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> ManifestSignature.verify(pair.getPublic(), MANIFEST, truncated, "sig"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("bytes, expected 64");
  }

  @Test
  void signatureWithoutLineFeedIsTamper() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    String line =
        new String(ManifestSignature.sign(pair.getPrivate(), MANIFEST), StandardCharsets.US_ASCII);
    byte[] bare = line.strip().getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> ManifestSignature.verify(pair.getPublic(), MANIFEST, bare, "sig"))
        .isInstanceOf(TamperException.class);
  }

  @Test
  void invalidBase64IsTamper() {
    KeyPair pair = TestBundles.newKeyPair();
    byte[] garbage = "not*base64\n".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> ManifestSignature.verify(pair.getPublic(), MANIFEST, garbage, "sig"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("base64");
  }

  @Test
  void pemKeysRoundTrip() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    Path privateFile = TestBundles.writePrivateKey(pair, directory.resolve("key.pem"));
    Path publicFile = TestBundles.writePublicKey(pair, directory.resolve("key.pub"));

    byte[] signature =
        ManifestSignature.sign(ManifestSignature.readPrivateKey(privateFile), MANIFEST);
    ManifestSignature.verify(
        ManifestSignature.readPublicKey(publicFile), MANIFEST, signature, "sig");
  }

  @Test
  void derivedPublicKeyEqualsGenerated() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();

    assertThat(ManifestSignature.publicKeyOf(pair.getPrivate()).getEncoded())
        .isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void missingKeyFileIsKeyError() {
    assertThatThrownBy(() -> ManifestSignature.readPublicKey(directory.resolve("absent.pub")))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("absent.pub");
  }

  @Test
  void privateKeyAsPublicIsKeyError() throws Exception {
    Path privateFile =
        TestBundles.writePrivateKey(TestBundles.newKeyPair(), directory.resolve("k"));

    assertThatThrownBy(() -> ManifestSignature.readPublicKey(privateFile))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("BEGIN PUBLIC KEY");
  }

  @Test
  void oversizedKeyFileIsKeyError() throws Exception {
    Path big = directory.resolve("big.pub");
    Files.write(big, new byte[ManifestSignature.MAX_KEY_FILE_BYTES + 1]);

    assertThatThrownBy(() -> ManifestSignature.readPublicKey(big))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void opensslVerifiesSignature() throws Exception {
    Path openssl = DebianPackages.require("openssl", "openssl");
    KeyPair pair = TestBundles.newKeyPair();
    Path manifest = Files.write(directory.resolve("MANIFEST.sha256"), MANIFEST);
    Path publicFile = TestBundles.writePublicKey(pair, directory.resolve("key.pub"));
    String line =
        new String(ManifestSignature.sign(pair.getPrivate(), MANIFEST), StandardCharsets.US_ASCII);
    Path rawSignature =
        Files.write(
            directory.resolve("sig.bin"), java.util.Base64.getDecoder().decode(line.strip()));

    Process process =
        new ProcessBuilder(
                openssl.toString(),
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                publicFile.toString(),
                "-rawin",
                "-in",
                manifest.toString(),
                "-sigfile",
                rawSignature.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
  }
}
