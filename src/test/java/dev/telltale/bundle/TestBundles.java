package dev.telltale.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Small bundle directories and Ed25519 key files for the bundle tests. */
final class TestBundles {
  private TestBundles() {}

  /** Writes a bundle-like tree with a few files in nested directories and returns its root. */
  static Path smallBundle(Path parent) throws IOException {
    Path root = Files.createDirectories(parent.resolve("telltale"));
    write(root.resolve("bin/telltale"), "#!/bin/bash\necho telltale\n");
    write(root.resolve("lib/telltale.jar"), "not really a jar");
    write(root.resolve("share/doc/telltale/README.md"), "# telltale\n");
    return root;
  }

  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError("the JDK provides Ed25519", e);
    }
  }

  /** Writes the private key as an unencrypted PKCS #8 PEM file. */
  static Path writePrivateKey(KeyPair pair, Path file) throws IOException {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPrivate().getEncoded());
    write(file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    return file;
  }

  static Path writePublicKey(KeyPair pair, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, ManifestSignature.toPem(pair.getPublic()));
    return file;
  }
}
