package dev.telltale.bundle;

import dev.telltale.TamperException;
import dev.telltale.crypto.KeyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The detached Ed25519 signature of a bundle manifest, and the PEM key files that make and check
 * it. The signature file is one line: the base64 encoding of the 64 signature bytes over the exact
 * bytes of {@code MANIFEST.sha256}. Keys are PEM files as {@code openssl genpkey -algorithm
 * ed25519} writes them, so a signature can be checked with {@code openssl pkeyutl -verify}.
 */
// NOTE: this uses plain PEM keys because the project's passphrase-protected key files are not
// readable from this package yet; a builder's key would then be read through dev.telltale.crypto.
public final class ManifestSignature {
  static final int MAX_KEY_FILE_BYTES = 16 * 1024;
  static final int MAX_SIGNATURE_FILE_BYTES = 1024;
  static final int SIGNATURE_BYTES = 64;
  private static final String ALGORITHM = "Ed25519";

  /**
   * DER header of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 key bytes.
   */
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  private ManifestSignature() {}

  /** Signs the manifest bytes and returns the content of the signature file. */
  public static byte[] sign(PrivateKey key, byte[] manifest) throws KeyException {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(manifest);
      String line = Base64.getEncoder().encodeToString(signer.sign()) + "\n";
      return line.getBytes(StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new KeyException("cannot sign with the given key: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the signature file's content over the manifest bytes.
   *
   * @param source the signature file's name, used in messages
   * @throws TamperException if the signature file is malformed or the signature does not verify
   */
  public static void verify(PublicKey key, byte[] manifest, byte[] signatureFile, String source)
      throws TamperException, KeyException {
    byte[] signature = decodeSignature(signatureFile, source);
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(manifest);
      valid = verifier.verify(signature);
    } catch (InvalidKeyException e) {
      throw new KeyException("the public key is not an Ed25519 key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw new TamperException(
          source + ": the signature does not verify with key " + fingerprint(key));
    }
  }

  private static byte[] decodeSignature(byte[] file, String source) throws TamperException {
    if (file.length > MAX_SIGNATURE_FILE_BYTES) {
      throw new TamperException(
          source
              + ": "
              + file.length
              + " bytes, more than the maximum of "
              + MAX_SIGNATURE_FILE_BYTES);
    }
    String text = new String(file, StandardCharsets.US_ASCII);
    if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) {
      throw new TamperException(source + ": expected exactly one line of base64");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(text.substring(0, text.length() - 1));
    } catch (IllegalArgumentException e) {
      throw new TamperException(source + ": invalid base64: " + e.getMessage());
    }
    if (signature.length != SIGNATURE_BYTES) {
      throw new TamperException(
          source
              + ": the signature has "
              + signature.length
              + " bytes, expected "
              + SIGNATURE_BYTES);
    }
    return signature;
  }

  /** Returns {@code SHA256:} and the hex SHA-256 digest of the key's DER encoding. */
  public static String fingerprint(PublicKey key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return "SHA256:" + HexFormat.of().formatHex(digest.digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** Encodes a public key as a PEM {@code PUBLIC KEY} block. */
  public static byte[] toPem(PublicKey key) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    String pem = "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads an Ed25519 public key from a PEM {@code PUBLIC KEY} file.
   *
   * @throws KeyException if the file is missing, unreadable, too large or not an Ed25519 key
   */
  public static PublicKey readPublicKey(Path file) throws KeyException {
    byte[] der = readPem(file, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new KeyException(file + ": not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an unencrypted Ed25519 private key from a PEM {@code PRIVATE KEY} (PKCS #8) file.
   *
   * @throws KeyException if the file is missing, unreadable, too large or not an Ed25519 key
   */
  public static PrivateKey readPrivateKey(Path file) throws KeyException {
    byte[] der = readPem(file, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new KeyException(file + ": not an unencrypted Ed25519 private key", e);
    }
  }

  /** Derives the public key of an Ed25519 private key. */
  public static PublicKey publicKeyOf(PrivateKey key) throws KeyException {
    if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()) {
      throw new KeyException("the signing key is not an Ed25519 private key with a seed");
    }
    // The JDK cannot derive an Ed25519 public key from a private one; Bouncy Castle can.
    byte[] raw =
        new Ed25519PrivateKeyParameters(edKey.getBytes().get()).generatePublicKey().getEncoded();
    byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new KeyException("cannot encode the derived Ed25519 public key", e);
    }
  }

  private static byte[] readPem(Path file, String label) throws KeyException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_KEY_FILE_BYTES) {
        throw new KeyException(
            file + ": larger than " + MAX_KEY_FILE_BYTES + " bytes; expected a PEM key file");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeyException(file + ": cannot read the key file: " + e.getMessage(), e);
    }
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    if (!text.startsWith(begin) || !text.endsWith(end)) {
      throw new KeyException(file + ": expected a PEM block '" + begin + "'");
    }
    String body = text.substring(begin.length(), text.length() - end.length());
    try {
      return Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new KeyException(file + ": invalid base64 in the PEM block");
    }
  }
}
