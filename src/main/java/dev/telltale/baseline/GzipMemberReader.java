package dev.telltale.baseline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses exactly one gzip member (RFC 1952) and requires the end of input right after it.
 * Unlike {@link java.util.zip.GZIPInputStream}, which skips or concatenates what follows a member,
 * this reader treats any trailing byte as corruption.
 *
 * <p>NOTE: inflate ignores the bits that pad the deflate data to a byte boundary, so changing them
 * changes the file's SHA-256 but neither its content nor the result of reading it.
 */
final class GzipMemberReader implements AutoCloseable {
  /**
   * The only header accepted: deflate, no flags, no time, unknown OS, as {@link
   * java.util.zip.GZIPOutputStream} writes it. The signature covers the decompressed content only,
   * so a fixed header keeps the unsigned header bytes from being changed unnoticed.
   */
  static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private static final int HEADER_BYTES = HEADER.length;
  private static final int TRAILER_BYTES = 8;

  private final InputStream in;
  private final String name;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] input = new byte[1 << 16];
  private int inputLength;
  private long uncompressedBytes;
  private boolean ended;

  /**
   * @param name the file name for error messages
   */
  GzipMemberReader(InputStream in, String name) throws IOException, BaselineFormatException {
    this.in = in;
    this.name = name;
    byte[] header = in.readNBytes(HEADER_BYTES);
    if (header.length < 3
        || (header[0] & 0xFF) != 0x1f
        || (header[1] & 0xFF) != 0x8b
        || header[2] != 8) {
      throw new BaselineFormatException(
          name + " is not a telltale baseline: it does not start with a gzip header");
    }
    if (!Arrays.equals(header, HEADER)) {
      throw new BaselineFormatException(
          name
              + ": the gzip header is not the one telltale writes ("
              + HexFormat.of().formatHex(HEADER)
              + "): the file was altered or recompressed");
    }
  }

  /** Reads decompressed bytes; returns -1 after the member ended and its trailer checked out. */
  int read(byte[] buffer, int offset, int length) throws IOException, BaselineFormatException {
    while (!ended) {
      int count;
      try {
        count = inflater.inflate(buffer, offset, length);
      } catch (DataFormatException e) {
        throw new BaselineFormatException(name + ": corrupt compressed data: " + e.getMessage());
      }
      if (count > 0) {
        crc.update(buffer, offset, count);
        uncompressedBytes += count;
        return count;
      }
      if (inflater.finished()) {
        checkTrailer();
        ended = true;
        break;
      }
      if (inflater.needsDictionary()) {
        throw new BaselineFormatException(name + ": corrupt compressed data (preset dictionary)");
      }
      if (inflater.needsInput()) {
        int filled = in.read(input);
        if (filled < 0) {
          throw new BaselineFormatException(name + " is truncated: the compressed data ends early");
        }
        inputLength = filled;
        inflater.setInput(input, 0, filled);
      }
    }
    return -1;
  }

  private void checkTrailer() throws IOException, BaselineFormatException {
    int remaining = inflater.getRemaining();
    byte[] trailer = new byte[TRAILER_BYTES];
    int fromBuffer = Math.min(remaining, TRAILER_BYTES);
    // The input that the inflater did not use is the end of the last chunk given to it.
    System.arraycopy(input, inputLength - remaining, trailer, 0, fromBuffer);
    int fromStream = in.readNBytes(trailer, fromBuffer, TRAILER_BYTES - fromBuffer);
    if (fromBuffer + fromStream < TRAILER_BYTES) {
      throw new BaselineFormatException(name + " is truncated: the gzip trailer is incomplete");
    }
    if (remaining > TRAILER_BYTES || in.read() >= 0) {
      throw new BaselineFormatException(
          name + " has data after the end of its compressed content: the file was altered");
    }
    long storedCrc = littleEndian(trailer, 0);
    long storedSize = littleEndian(trailer, 4);
    if (storedCrc != crc.getValue()) {
      throw new BaselineFormatException(name + ": CRC mismatch in the gzip trailer");
    }
    if (storedSize != (uncompressedBytes & 0xFFFFFFFFL)) {
      throw new BaselineFormatException(name + ": size mismatch in the gzip trailer");
    }
  }

  private static long littleEndian(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFFL)
        | (bytes[offset + 1] & 0xFFL) << 8
        | (bytes[offset + 2] & 0xFFL) << 16
        | (bytes[offset + 3] & 0xFFL) << 24;
  }

  @Override
  public void close() {
    inflater.end();
  }
}
