package dev.telltale.alert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Records that one sink has not taken yet, oldest first, one record line per line in {@code
 * spool/SINKID.spool} under the state directory, where SINKID is the first 16 hex digits of the
 * SHA-256 of the sink URI. A non-empty spool means the sink is failing.
 *
 * <p>NOTE: the spool has no size limit, so a sink that stays down for long fills the disk.
 */
final class Spool {
  /** Counts of one drain. */
  record Drained(int delivered, int malformed, boolean complete) {}

  private final Path file;

  Spool(Path stateDirectory, String sinkUri) {
    this.file = stateDirectory.resolve("spool").resolve(sinkId(sinkUri) + ".spool");
  }

  static String sinkId(String uri) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  Path file() {
    return file;
  }

  boolean isEmpty() throws IOException {
    return !Files.exists(file) || Files.size(file) == 0;
  }

  /** Appends one record and syncs it. */
  void append(AlertRecord record) throws IOException {
    Files.createDirectories(file.getParent());
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      ByteBuffer line = ByteBuffer.wrap(AlertRecord.ascii(record.toLine() + "\n"));
      while (line.hasRemaining()) {
        channel.write(line);
      }
      channel.force(false);
    }
  }

  /**
   * Sends spooled records to the sink in order until one fails, then keeps the rest. A line that is
   * not a record (a damaged spool) is dropped and counted, because it could never be delivered.
   */
  Drained drainTo(Sink sink) throws IOException {
    List<byte[]> lines = new ArrayList<>();
    // NOTE: the pending lines are held in memory while they are sent; a spool of many megabytes
    // needs a heap of the same order.
    try (InputStream in = Files.newInputStream(file)) {
      Framer framer =
          new Framer(
              AlertRecord.MAX_RECORD_BYTES,
              false,
              frame -> {
                if (!frame.overLong() && !frame.unterminated()) {
                  lines.add(frame.bytes());
                }
              });
      byte[] buffer = new byte[8192];
      int count;
      while ((count = in.read(buffer)) > 0) {
        framer.push(buffer, count);
      }
      framer.finish();
    }
    int delivered = 0;
    int malformed = 0;
    int index = 0;
    IOException failure = null;
    for (; index < lines.size(); index++) {
      AlertRecord record;
      try {
        record = AlertRecord.parse(new String(lines.get(index), StandardCharsets.US_ASCII));
      } catch (RecordFormatException e) {
        malformed++;
        continue;
      }
      try {
        sink.send(record);
        delivered++;
      } catch (IOException e) {
        failure = e;
        break;
      }
    }
    rewrite(lines.subList(failure == null ? lines.size() : index, lines.size()));
    return new Drained(delivered, malformed, failure == null);
  }

  private void rewrite(List<byte[]> remaining) throws IOException {
    Path fresh = file.resolveSibling(file.getFileName() + ".new");
    try (FileChannel channel =
        FileChannel.open(
            fresh,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (byte[] line : remaining) {
        ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      channel.force(false);
    }
    Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    SealState.syncDirectory(file.getParent());
  }
}
