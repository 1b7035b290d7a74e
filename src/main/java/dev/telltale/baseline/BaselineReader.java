package dev.telltale.baseline;

import dev.telltale.OutputException;
import dev.telltale.TamperException;
import dev.telltale.TelltaleException;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a baseline, verifying it before any entry is handed out.
 *
 * <p>{@link #open} reads the whole file once and checks the signature, and that the header names
 * the given key, before it returns. {@link #entries()} then reads the file a second time through
 * the same open file and parses the entries as it goes. At the end of that pass it checks that the
 * bytes equal those of the first pass; if the file changed in between, the last call of {@link
 * EntryStream#next()} throws {@link TamperException}. Callers must therefore treat the entries as
 * trustworthy only once {@code next()} has returned null.
 *
 * <p>Failures: {@link BaselineFormatException} for a missing, truncated, corrupt or unknown
 * baseline; {@link TamperException} for a signature that does not verify, a baseline signed by
 * another key, or a file that changed between the passes; {@link OutputException} for a read error
 * of the storage.
 */
public final class BaselineReader implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final BaselineHeader header;
  private final byte[] fileSha256;
  private final byte[] signature;
  private final boolean verified;
  private final long entryCount;

  private BaselineReader(
      Path file,
      FileChannel channel,
      BaselineHeader header,
      byte[] fileSha256,
      byte[] signature,
      boolean verified,
      long entryCount) {
    this.file = file;
    this.channel = channel;
    this.header = header;
    this.fileSha256 = fileSha256;
    this.signature = signature;
    this.verified = verified;
    this.entryCount = entryCount;
  }

  /**
   * Opens a baseline and verifies its signature with {@code key}.
   *
   * @throws BaselineFormatException if the file is missing, truncated, corrupt or of an unknown
   *     version
   * @throws TamperException if the signature does not verify with {@code key}
   * @throws OutputException if the file cannot be read
   */
  public static BaselineReader open(Path file, VerifyKey key) throws TelltaleException {
    return open(file, key, true);
  }

  /**
   * Opens a baseline WITHOUT verifying its signature, for showing a baseline when no key is at
   * hand. The format is checked as strictly as by {@link #open(Path, VerifyKey)}, but nothing read
   * this way may be trusted: anyone could have written it.
   */
  public static BaselineReader openUnverified(Path file) throws TelltaleException {
    return open(file, null, false);
  }

  private static BaselineReader open(Path file, VerifyKey key, boolean verify)
      throws TelltaleException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // Opening a FIFO would block until something writes to it.
      throw new BaselineFormatException("baseline " + file + " is not a regular file");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BaselineFormatException(
          "baseline " + file + " not found: give the right path or record one with 'init'", e);
    } catch (IOException e) {
      throw new OutputException("cannot read baseline " + file + ": " + e.getMessage(), e);
    }
    try {
      MessageDigest fileDigest = sha256();
      BaselineHeader header;
      byte[] contentSha512;
      byte[] signature;
      long entryCount;
      try (BaselineParser parser = parser(file, channel, fileDigest, true)) {
        header = parser.readHeader();
        while (parser.skipEntry()) {
          // Only the framing is checked here; the second pass parses the entries.
        }
        contentSha512 = parser.contentSha512();
        signature = parser.signature();
        entryCount = parser.entryCount();
      }
      if (verify) {
        verifySignature(file, key, header, contentSha512, signature);
      }
      return new BaselineReader(
          file, channel, header, fileDigest.digest(), signature, verify, entryCount);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OutputException("cannot read baseline " + file + ": " + e.getMessage(), e);
    } catch (TelltaleException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void verifySignature(
      Path file, VerifyKey key, BaselineHeader header, byte[] contentSha512, byte[] signature)
      throws TamperException {
    boolean valid = key.verify(BaselineFormat.signedMessage(contentSha512), signature);
    if (!valid && !header.keyFingerprint().equals(key.fingerprint())) {
      throw new TamperException(
          "baseline "
              + file
              + " names signing key "
              + header.keyFingerprint()
              + " and does not verify with the given key "
              + key.fingerprint()
              + ": use the public key that signed it, or treat the baseline as forged");
    }
    if (!valid) {
      throw new TamperException(
          "the signature of baseline "
              + file
              + " does not verify with key "
              + key.fingerprint()
              + ": the file was altered after signing; treat it as tampered with");
    }
    if (!header.keyFingerprint().equals(key.fingerprint())) {
      throw new TamperException(
          "baseline "
              + file
              + " verifies with key "
              + key.fingerprint()
              + " but its header names key "
              + header.keyFingerprint()
              + "; treat it as tampered with");
    }
  }

  /** Returns the parsed header. For an unverified reader it may be forged. */
  public BaselineHeader header() {
    return header;
  }

  /** Returns true if the signature was verified at open. */
  public boolean isVerified() {
    return verified;
  }

  /**
   * Returns the number of entry lines, counted by the first pass and equal to the file's {@code
   * entry-count} line.
   */
  public long entryCount() {
    return entryCount;
  }

  /**
   * Returns the SHA-256 of the file as stored, in lower-case hex, the value {@code sha256sum}
   * shows.
   */
  public String fileSha256() {
    return HexFormat.of().formatHex(fileSha256);
  }

  /**
   * Returns a stream of the entries in canonical order. Each call reads the file again. The last
   * call of {@code next()} throws {@link TamperException} if the file changed since it was opened,
   * or {@link BaselineFormatException} for an entry line that is malformed.
   */
  public EntryStream entries() throws TelltaleException {
    MessageDigest fileDigest = sha256();
    BaselineParser parser;
    try {
      parser = parser(file, channel, fileDigest, false);
      parser.readHeader();
    } catch (IOException e) {
      throw new OutputException("cannot read baseline " + file + ": " + e.getMessage(), e);
    }
    return new SecondPass(parser, fileDigest);
  }

  private final class SecondPass implements EntryStream {
    private final BaselineParser parser;
    private final MessageDigest fileDigest;
    private boolean ended;

    SecondPass(BaselineParser parser, MessageDigest fileDigest) {
      this.parser = parser;
      this.fileDigest = fileDigest;
    }

    @Override
    public Entry next() throws TelltaleException {
      if (ended) {
        return null;
      }
      Entry entry;
      try {
        // A format error here names the line. The first pass accepted the framing, so such an
        // error means an entry line was malformed when signed, or the file changed since.
        entry = parser.nextEntry();
      } catch (IOException e) {
        throw new OutputException("cannot read baseline " + file + ": " + e.getMessage(), e);
      }
      if (entry != null) {
        return entry;
      }
      ended = true;
      // The same stored bytes decompress to the same content, whose digest the first pass
      // verified; comparing their SHA-256 costs less than digesting the content again.
      boolean sameContent =
          MessageDigest.isEqual(parser.signature(), signature)
              && MessageDigest.isEqual(fileDigest.digest(), fileSha256);
      if (!sameContent) {
        throw new TamperException(
            "baseline " + file + " changed while it was being read; treat it as tampered with");
      }
      return null;
    }

    @Override
    public void close() {
      parser.close();
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  /** Returns a parser over the whole file that feeds every stored byte to {@code fileDigest}. */
  private static BaselineParser parser(
      Path file, FileChannel channel, MessageDigest fileDigest, boolean digestContent)
      throws IOException, BaselineFormatException {
    InputStream stored = new DigestInputStream(new PositionalInputStream(channel), fileDigest);
    return new BaselineParser(stored, file.toString(), digestContent);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // The channel was only read, so a failed close loses no data.
    }
  }

  /**
   * Reads a channel from offset 0 with positional reads, so that several passes can share one open
   * file and a file renamed over the path between passes is not read.
   */
  private static final class PositionalInputStream extends InputStream {
    private final FileChannel channel;
    private long position;

    PositionalInputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int count = read(one, 0, 1);
      return count < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      int count = channel.read(ByteBuffer.wrap(buffer, offset, length), position);
      if (count > 0) {
        position += count;
      }
      return count;
    }
  }
}
