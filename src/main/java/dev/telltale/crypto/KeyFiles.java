package dev.telltale.crypto;

import dev.telltale.OutputException;
import dev.telltale.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Reads and writes the key files: {@code telltale.pub} with the public key, and {@code
 * telltale.key} with the private key encrypted under a passphrase. docs/formats.md describes both
 * formats line by line.
 *
 * <p>The secret key file derives an AES-256 key from the passphrase with Argon2id and encrypts the
 * seed with AES-256-GCM. Every line before the ciphertext is GCM associated data, so a changed KDF
 * parameter, nonce or public key makes decryption fail just like a wrong passphrase.
 */
public final class KeyFiles {
  /** File name of the public key in a key directory. */
  public static final String PUBLIC_KEY_FILE = "telltale.pub";

  /** File name of the encrypted private key in a key directory. */
  public static final String SECRET_KEY_FILE = "telltale.key";

  static final String PUBLIC_FORMAT_LINE = "telltale-public-key 1";
  static final String SECRET_FORMAT_LINE = "telltale-secret-key 1";

  /**
   * Argon2id memory in KiB. RFC 9106 section 4 recommends 64 MiB with 3 passes when memory is
   * scarce, and dom0 is often given little memory. It uses 4 lanes, but Bouncy Castle computes
   * lanes one after another, so more lanes only cost time here.
   */
  static final int DEFAULT_MEMORY_KIB = 65536;

  static final int DEFAULT_ITERATIONS = 3;
  static final int DEFAULT_PARALLELISM = 1;

  /**
   * Parameter bounds accepted on read. The upper bounds keep a hostile file from making us allocate
   * more than 256 MiB or compute for many minutes. The lower bounds reject parameters too weak to
   * slow down guessing.
   */
  static final int MIN_MEMORY_KIB = 8192;

  static final int MAX_MEMORY_KIB = 262144;
  static final int MAX_ITERATIONS = 16;
  static final int MAX_PARALLELISM = 16;

  private static final int SALT_BYTES = 16;
  private static final int MIN_SALT_BYTES = 16;
  private static final int MAX_SALT_BYTES = 64;
  private static final int NONCE_BYTES = 12;
  private static final int GCM_TAG_BITS = 128;
  private static final int AES_KEY_BYTES = 32;

  /** Larger than any valid key file; a longer file is rejected unread. */
  private static final int MAX_FILE_BYTES = 4096;

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyFiles() {}

  /**
   * Generates a key pair and writes {@code telltale.key} (mode 0600) and {@code telltale.pub} into
   * {@code keyDirectory}, creating the directory with mode 0700 if it is missing.
   *
   * @return the new public key
   * @throws KeyException if the passphrase is empty
   * @throws OutputException if a key file already exists there (nothing is overwritten) or the
   *     directory is not writable
   */
  public static VerifyKey generate(Path keyDirectory, Passphrase passphrase)
      throws KeyException, OutputException {
    if (passphrase.isEmpty()) {
      throw new KeyException("the passphrase is empty: choose one to protect the private key");
    }
    Path secretFile = keyDirectory.resolve(SECRET_KEY_FILE);
    Path publicFile = keyDirectory.resolve(PUBLIC_KEY_FILE);
    for (Path existing : List.of(secretFile, publicFile)) {
      if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        throw new OutputException(
            existing
                + " already exists and was not changed. To make a new key, move the old key"
                + " files elsewhere first; keep the old telltale.pub to verify older baselines.");
      }
    }
    createDirectory(keyDirectory);
    try (SigningKey key = SigningKey.generate()) {
      byte[] secretText =
          encryptedKeyFile(
              key,
              passphrase,
              new KdfParameters(
                  DEFAULT_MEMORY_KIB,
                  DEFAULT_ITERATIONS,
                  DEFAULT_PARALLELISM,
                  randomBytes(SALT_BYTES)));
      AtomicFile.writeNew(secretFile, secretText, AtomicFile.OWNER_ONLY);
      AtomicFile.writeNew(publicFile, publicKeyFile(key.verifyKey()), null);
      return key.verifyKey();
    }
  }

  /**
   * Decrypts the private key in {@code keyFile}.
   *
   * @throws KeyException if the file is missing or malformed (the message names the line), or the
   *     passphrase is wrong or the file was altered
   */
  public static SigningKey loadSigningKey(Path keyFile, Passphrase passphrase) throws KeyException {
    return readLockedKey(keyFile).unlock(passphrase);
  }

  /**
   * Reads and checks the private key file without decrypting it, which takes a passphrase and the
   * slow key derivation.
   *
   * @throws KeyException if the file is missing or malformed; the message names the line
   */
  public static LockedKey readLockedKey(Path keyFile) throws KeyException {
    byte[] content = readBounded(keyFile, "private key");
    List<String> lines = splitLines(keyFile, content, 5);
    KeyFileParser parser = new KeyFileParser(keyFile, lines);
    parser.expectFormatLine(1, SECRET_FORMAT_LINE);
    KdfParameters kdf = parser.kdfLine(2);
    byte[] nonce = parser.cipherLine(3, NONCE_BYTES);
    VerifyKey verifyKey = VerifyKey.ofRawBytes(parser.base64Field(4, "public-key ed25519", 32));
    byte[] ciphertext = parser.base64Field(5, "ciphertext", Ed25519.SEED_BYTES + GCM_TAG_BITS / 8);
    int associatedLength = 0;
    for (int i = 0; i < 4; i++) {
      associatedLength += lines.get(i).length() + 1;
    }
    byte[] associatedData = Arrays.copyOf(content, associatedLength);
    return new LockedKey(keyFile, kdf, nonce, verifyKey, ciphertext, associatedData);
  }

  /**
   * A private key file as read: its public key can be used at once, its private key only after
   * {@link #unlock}.
   */
  public static final class LockedKey {
    private final Path file;
    private final KdfParameters kdf;
    private final byte[] nonce;
    private final VerifyKey verifyKey;
    private final byte[] ciphertext;
    private final byte[] associatedData;

    private LockedKey(
        Path file,
        KdfParameters kdf,
        byte[] nonce,
        VerifyKey verifyKey,
        byte[] ciphertext,
        byte[] associatedData) {
      this.file = file;
      this.kdf = kdf;
      this.nonce = nonce;
      this.verifyKey = verifyKey;
      this.ciphertext = ciphertext;
      this.associatedData = associatedData;
    }

    /** Returns the public key stored beside the encrypted private key. */
    public VerifyKey verifyKey() {
      return verifyKey;
    }

    /**
     * Derives the file key from the passphrase with Argon2id and decrypts the private key.
     *
     * @throws KeyException if the passphrase is wrong or the file was altered
     */
    public SigningKey unlock(Passphrase passphrase) throws KeyException {
      byte[] aesKey = deriveKey(passphrase, kdf);
      byte[] seed;
      try {
        seed = aesGcm(Cipher.DECRYPT_MODE, aesKey, nonce, associatedData).doFinal(ciphertext);
      } catch (AEADBadTagException e) {
        throw new KeyException("wrong passphrase for " + file + " (or the file was altered)", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK cannot decrypt AES-256-GCM", e);
      } finally {
        Arrays.fill(aesKey, (byte) 0);
      }
      return SigningKey.of(seed, verifyKey);
    }
  }

  /**
   * Reads a public key file.
   *
   * @throws KeyException if the file is missing or malformed, the message naming the line, or if
   *     its fingerprint comment does not match its key
   */
  public static VerifyKey loadVerifyKey(Path pubFile) throws KeyException {
    byte[] content = readBounded(pubFile, "public key");
    KeyFileParser parser = new KeyFileParser(pubFile, splitLines(pubFile, content, 3));
    parser.expectFormatLine(1, PUBLIC_FORMAT_LINE);
    VerifyKey key = VerifyKey.ofRawBytes(parser.base64Field(2, "ed25519", 32));
    parser.expectLine(3, "# fingerprint " + key.fingerprint(), "the fingerprint of line 2's key");
    return key;
  }

  /** Argon2id parameters as stored in the key file. */
  record KdfParameters(int memoryKib, int iterations, int parallelism, byte[] salt) {}

  static byte[] publicKeyFile(VerifyKey key) {
    String text =
        PUBLIC_FORMAT_LINE
            + "\n"
            + "ed25519 "
            + Base64.getEncoder().encodeToString(key.rawBytes())
            + "\n"
            + "# fingerprint "
            + key.fingerprint()
            + "\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns the text of a secret key file that protects {@code key} with {@code passphrase}. */
  static byte[] encryptedKeyFile(SigningKey key, Passphrase passphrase, KdfParameters kdf)
      throws KeyException {
    Base64.Encoder base64 = Base64.getEncoder();
    byte[] nonce = randomBytes(NONCE_BYTES);
    String header =
        SECRET_FORMAT_LINE
            + "\n"
            + "kdf argon2id v=19 m="
            + kdf.memoryKib()
            + " t="
            + kdf.iterations()
            + " p="
            + kdf.parallelism()
            + " salt="
            + base64.encodeToString(kdf.salt())
            + "\n"
            + "cipher aes-256-gcm nonce="
            + base64.encodeToString(nonce)
            + "\n"
            + "public-key ed25519 "
            + base64.encodeToString(key.verifyKey().rawBytes())
            + "\n";
    byte[] associatedData = header.getBytes(StandardCharsets.US_ASCII);
    byte[] aesKey = deriveKey(passphrase, kdf);
    byte[] seed = key.seedCopy();
    byte[] ciphertext;
    try {
      ciphertext = aesGcm(Cipher.ENCRYPT_MODE, aesKey, nonce, associatedData).doFinal(seed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot encrypt with AES-256-GCM", e);
    } finally {
      Arrays.fill(aesKey, (byte) 0);
      Arrays.fill(seed, (byte) 0);
    }
    String text = header + "ciphertext " + base64.encodeToString(ciphertext) + "\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static Cipher aesGcm(int mode, byte[] aesKey, byte[] nonce, byte[] associatedData)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(GCM_TAG_BITS, nonce));
    cipher.updateAAD(associatedData);
    return cipher;
  }

  private static byte[] deriveKey(Passphrase passphrase, KdfParameters kdf) throws KeyException {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(kdf.memoryKib())
            .withIterations(kdf.iterations())
            .withParallelism(kdf.parallelism())
            .withSalt(kdf.salt())
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] password = passphrase.utf8Bytes();
    byte[] derived = new byte[AES_KEY_BYTES];
    try {
      generator.generateBytes(password, derived);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    return derived;
  }

  private static byte[] readBounded(Path file, String what) throws KeyException {
    // Opening a FIFO would block until something writes to it.
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new KeyException(file + " is not a regular file: it is not a telltale " + what);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] content = in.readNBytes(MAX_FILE_BYTES + 1);
      if (content.length > MAX_FILE_BYTES) {
        throw new KeyException(
            file + " is longer than " + MAX_FILE_BYTES + " bytes: it is not a telltale " + what);
      }
      return content;
    } catch (NoSuchFileException e) {
      throw new KeyException(
          what + " file " + file + " not found: give the right path or generate a key first", e);
    } catch (IOException e) {
      throw new KeyException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Splits ASCII content into exactly {@code count} lines, each ended by a newline. */
  private static List<String> splitLines(Path file, byte[] content, int count) throws KeyException {
    for (int i = 0; i < content.length; i++) {
      int b = content[i] & 0xFF;
      if (b != '\n' && (b < 0x20 || b > 0x7E)) {
        throw new KeyException(
            file + ": byte " + i + " is not printable ASCII: the key file is damaged");
      }
    }
    if (content.length == 0 || content[content.length - 1] != '\n') {
      throw new KeyException(file + ": the last line has no newline: the file is truncated");
    }
    String text = new String(content, 0, content.length - 1, StandardCharsets.US_ASCII);
    List<String> lines = List.of(text.split("\n", -1));
    if (lines.size() != count) {
      throw new KeyException(
          file + " has " + lines.size() + " lines, a telltale key file has " + count);
    }
    return lines;
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void createDirectory(Path directory) throws OutputException {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new OutputException(
          "cannot create key directory " + directory + ": " + e.getMessage(), e);
    }
  }
}
