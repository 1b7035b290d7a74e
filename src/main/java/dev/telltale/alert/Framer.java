package dev.telltale.alert;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames of at most a given size: lines ending in LF (a CR before the LF
 * is dropped), and, when enabled, RFC 6587 octet-counted frames ({@code LEN SP MESSAGE}), which
 * syslog over TCP uses. A frame counts as octet-counted only if its message starts with '<', the
 * start of a syslog priority. Input of any length and content is handled in bounded memory: an
 * over-long frame is reported once with the flag set and its bytes are dropped.
 */
final class Framer {
  /**
   * One frame.
   *
   * @param bytes the frame's bytes, without line end; empty for an over-long frame
   * @param overLong whether the frame exceeded the maximum and was dropped
   * @param unterminated whether the input ended inside this frame
   */
  record Frame(byte[] bytes, boolean overLong, boolean unterminated) {}

  private static final int MAX_LENGTH_DIGITS = 7;

  private final int maxFrameBytes;
  private final boolean octetCounting;
  private final Consumer<Frame> sink;
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private boolean atFrameStart = true;
  private boolean readingLength;
  private long countedRemaining = -1;
  private long lengthValue;
  private int lengthDigits;
  private boolean discarding;
  private boolean awaitingPriority;

  private final boolean stripCarriageReturn;

  Framer(int maxFrameBytes, boolean octetCounting, Consumer<Frame> sink) {
    this(maxFrameBytes, octetCounting, true, sink);
  }

  private Framer(
      int maxFrameBytes, boolean octetCounting, boolean stripCarriageReturn, Consumer<Frame> sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.octetCounting = octetCounting;
    this.stripCarriageReturn = stripCarriageReturn;
    this.sink = sink;
  }

  /**
   * Returns a framer for LF-terminated lines that keeps a CR before the LF as part of the line and
   * emits empty lines too.
   */
  static Framer exactLines(int maxFrameBytes, Consumer<Frame> sink) {
    return new Framer(maxFrameBytes, false, false, sink);
  }

  /** Consumes bytes, emitting every frame they complete. */
  void push(byte[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      push(buffer[i]);
    }
  }

  private void push(byte b) {
    if (awaitingPriority) {
      awaitingPriority = false;
      if (b != '<') {
        // A syslog message starts with its priority, so anything else means the digits began a
        // plain line. Reading them as a length would swallow the records that follow.
        countedRemaining = -1;
        current.write(' ');
        push(b);
        return;
      }
      current.reset();
    }
    if (countedRemaining >= 0) {
      take(b);
      countedRemaining--;
      if (countedRemaining == 0) {
        endFrame(false);
      }
      return;
    }
    if (atFrameStart && octetCounting && b >= '1' && b <= '9') {
      readingLength = true;
    }
    atFrameStart = false;
    if (readingLength) {
      if (b >= '0' && b <= '9' && lengthDigits < MAX_LENGTH_DIGITS) {
        lengthValue = lengthValue * 10 + (b - '0');
        lengthDigits++;
        current.write(b);
        return;
      }
      readingLength = false;
      if (b == ' ' && lengthValue <= maxFrameBytes * 2L) {
        awaitingPriority = true;
        countedRemaining = lengthValue;
        lengthValue = 0;
        lengthDigits = 0;
        return;
      }
      // Not a length after all: the digits start a plain line.
      lengthValue = 0;
      lengthDigits = 0;
    }
    if (b == '\n') {
      endFrame(false);
      return;
    }
    take(b);
  }

  private void take(byte b) {
    if (discarding) {
      return;
    }
    if (current.size() >= maxFrameBytes) {
      discarding = true;
      current.reset();
      return;
    }
    current.write(b);
  }

  private void endFrame(boolean unterminated) {
    byte[] bytes = current.toByteArray();
    if (stripCarriageReturn && !discarding && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }
    Frame frame =
        discarding
            ? new Frame(new byte[0], true, unterminated)
            : new Frame(bytes, false, unterminated);
    current.reset();
    discarding = false;
    atFrameStart = true;
    readingLength = false;
    awaitingPriority = false;
    countedRemaining = -1;
    lengthValue = 0;
    lengthDigits = 0;
    // Receivers skip empty lines, but in an exact file every line counts.
    if (frame.overLong() || frame.bytes().length > 0 || unterminated || !stripCarriageReturn) {
      sink.accept(frame);
    }
  }

  /** Ends the input; a frame in progress is emitted as unterminated. */
  void finish() {
    if (current.size() > 0 || discarding || countedRemaining > 0) {
      endFrame(true);
    }
  }
}
