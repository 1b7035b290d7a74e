package dev.telltale.baseline;

import java.io.IOException;
import java.util.Arrays;

/**
 * Splits decompressed baseline content into lines of at most {@link #MAX_LINE_BYTES} bytes each, so
 * that a hostile file cannot make a reader hold more than one such line.
 */
final class LineReader {
  /** Maximum length of a line without its newline. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final GzipMemberReader source;
  private final String name;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPosition;
  private int chunkEnd;
  private byte[] line = new byte[256];
  private long lineNumber;

  LineReader(GzipMemberReader source, String name) {
    this.source = source;
    this.name = name;
  }

  /**
   * Returns the next line without its newline, or null at the end of the content.
   *
   * @throws BaselineFormatException if a line is longer than the limit or the content does not end
   *     with a newline
   */
  byte[] next() throws IOException, BaselineFormatException {
    int length = 0;
    while (true) {
      if (chunkPosition == chunkEnd) {
        int count = source.read(chunk, 0, chunk.length);
        if (count < 0) {
          if (length == 0) {
            return null;
          }
          throw new BaselineFormatException(
              name + ":" + (lineNumber + 1) + ": the line has no newline: the file is truncated");
        }
        chunkPosition = 0;
        chunkEnd = count;
      }
      int start = chunkPosition;
      int newline = -1;
      for (int i = start; i < chunkEnd; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? chunkEnd : newline;
      if (length + (end - start) > MAX_LINE_BYTES) {
        throw new BaselineFormatException(
            name + ":" + (lineNumber + 1) + ": line longer than " + MAX_LINE_BYTES + " bytes");
      }
      if (length + (end - start) > line.length) {
        line =
            Arrays.copyOf(
                line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + end - start)));
      }
      System.arraycopy(chunk, start, line, length, end - start);
      length += end - start;
      if (newline >= 0) {
        chunkPosition = newline + 1;
        lineNumber++;
        return Arrays.copyOf(line, length);
      }
      chunkPosition = chunkEnd;
    }
  }

  /** Returns the number of the line that {@link #next()} returned last, counting from 1. */
  long lineNumber() {
    return lineNumber;
  }
}
