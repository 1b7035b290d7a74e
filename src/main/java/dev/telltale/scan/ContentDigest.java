package dev.telltale.scan;

import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Computes the requested content digests of an open file in one pass over its bytes. */
final class ContentDigest {
  private static final int BUFFER_BYTES = 128 * 1024;

  /**
   * One read buffer per hashing thread. A new buffer for each file made the scan of a tree of small
   * files allocate gigabytes, and the garbage collector then grew the heap.
   */
  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[BUFFER_BYTES]);

  private ContentDigest() {}

  /**
   * Reads the descriptor from its current offset to the end, or up to {@code limitBytes}, and
   * returns the hex digests of the requested digest attributes.
   *
   * @param bytesRead counts every byte read, for progress
   * @param aborted stops reading early when it turns true; the result is then incomplete
   * @return the digests and the number of bytes read
   */
  static Result compute(
      int fd,
      Set<Attribute> requested,
      long limitBytes,
      AtomicLong bytesRead,
      BooleanSupplier aborted)
      throws PosixException {
    Map<Attribute, MessageDigest> digests = new EnumMap<>(Attribute.class);
    for (Attribute attribute : requested) {
      if (attribute.isDigest()) {
        digests.put(attribute, newDigest(attribute));
      }
    }
    byte[] buffer = BUFFER.get();
    long total = 0;
    while (total < limitBytes && !aborted.getAsBoolean()) {
      int want = (int) Math.min(buffer.length, limitBytes - total);
      int count = Posix.read(fd, buffer, 0, want);
      if (count == 0) {
        break;
      }
      for (MessageDigest digest : digests.values()) {
        digest.update(buffer, 0, count);
      }
      total += count;
      bytesRead.addAndGet(count);
    }
    Map<Attribute, String> hex = new EnumMap<>(Attribute.class);
    for (Map.Entry<Attribute, MessageDigest> digest : digests.entrySet()) {
      hex.put(digest.getKey(), HexFormat.of().formatHex(digest.getValue().digest()));
    }
    return new Result(hex, total);
  }

  record Result(Map<Attribute, String> digests, long lengthBytes) {}

  private static MessageDigest newDigest(Attribute attribute) {
    String algorithm = attribute == Attribute.SHA256 ? "SHA-256" : "SHA-512";
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }
}
