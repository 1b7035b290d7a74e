package dev.telltale.alert;

import dev.telltale.OutputException;
import dev.telltale.crypto.KeyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The host side of a sealing chain: the current key k(i), the next sequence number and the last
 * seal, kept in the file {@code seal.state} of a state directory and guarded by an exclusive lock
 * on {@code seal.lock}, so that two processes (a check and a heartbeat timer) never fork the chain.
 *
 * <p>After each record the state is replaced: the new state goes to {@code seal.state.new} and is
 * synced, the old file is overwritten with zeros in place and synced, then the new file is renamed
 * over it. The host therefore never keeps a key that sealed a past record. NOTE: overwriting in
 * place erases the old key on ext4 and similar file systems. On copy-on-write file systems and on
 * flash with wear levelling, the old blocks may survive until reused.
 */
public final class SealState implements AutoCloseable {
  static final String STATE_FILE = "seal.state";
  static final String NEW_STATE_FILE = "seal.state.new";
  static final String LOCK_FILE = "seal.lock";
  private static final String HEADER = "telltale-seal-state/1";
  private static final int MAX_STATE_BYTES = 4096;

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String chainId;
  private long nextSequence;
  private SealKey key;
  private String previousSeal;

  private SealState(
      Path directory,
      FileChannel lockChannel,
      FileLock lock,
      String chainId,
      long nextSequence,
      SealKey key,
      String previousSeal) {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.chainId = chainId;
    this.nextSequence = nextSequence;
    this.key = key;
    this.previousSeal = previousSeal;
  }

  /**
   * Returns the default state directory: {@code /var/lib/telltale/seal} for root, otherwise {@code
   * $XDG_STATE_HOME/telltale/seal} or {@code ~/.local/state/telltale/seal}.
   */
  public static Path defaultDirectory() {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/telltale/seal");
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base =
        xdg != null && xdg.startsWith("/")
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("telltale").resolve("seal");
  }

  /**
   * Starts a new chain in the directory and returns its initial key k0, which the caller prints
   * once and then destroys. The state contains k0 until record 0 is sealed, so the caller must seal
   * record 0 at once to erase k0 from the host.
   *
   * @throws OutputException if a chain already exists and {@code replace} is false, or the
   *     directory cannot be written
   */
  public static SealKey initialize(Path directory, boolean replace) throws OutputException {
    try {
      Files.createDirectories(directory);
      SealState locked = lockOnly(directory);
      try {
        Path state = directory.resolve(STATE_FILE);
        if (!replace && (Files.exists(state) || Files.exists(directory.resolve(NEW_STATE_FILE)))) {
          throw new OutputException(
              "a sealing chain already exists in "
                  + directory
                  + ": pass --force to start a new chain (the receiver will report a restart)");
        }
        SealKey initial = SealKey.generate(new SecureRandom());
        writeAtomically(directory, initial.chainId(), 0, initial, AlertRecord.NO_PREVIOUS_SEAL);
        return initial;
      } finally {
        locked.close();
      }
    } catch (IOException e) {
      throw new OutputException("cannot create the sealing state in " + directory + ": " + e, e);
    }
  }

  /**
   * Opens the chain in the directory, waiting while another process has it locked.
   *
   * @throws KeyException if there is no chain yet or its state file is malformed
   * @throws OutputException if the directory cannot be read or locked
   */
  public static SealState open(Path directory) throws KeyException, OutputException {
    SealState locked;
    try {
      locked = lockOnly(directory);
    } catch (NoSuchFileException e) {
      throw new KeyException(
          "no sealing chain in " + directory + ": run 'telltale seal-init' first");
    } catch (IOException e) {
      throw new OutputException("cannot lock the sealing state in " + directory + ": " + e, e);
    }
    try {
      return locked.load();
    } catch (KeyException | OutputException | RuntimeException e) {
      locked.close();
      throw e;
    }
  }

  private static SealState lockOnly(Path directory) throws IOException {
    FileChannel channel =
        FileChannel.open(
            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.lock();
      return new SealState(directory, channel, lock, null, 0, null, null);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private SealState load() throws KeyException, OutputException {
    Path state = directory.resolve(STATE_FILE);
    Path fresh = directory.resolve(NEW_STATE_FILE);
    try {
      // A crash between writing the new state and renaming it leaves both files. A complete new
      // file was synced before the old one was wiped, so it is the current state. An incomplete
      // one means the old file was never wiped and is still current.
      if (Files.exists(fresh)) {
        boolean complete;
        try {
          parse(fresh).key.destroy();
          complete = true;
        } catch (KeyException e) {
          complete = false;
        }
        if (complete) {
          Files.move(
              fresh, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.delete(fresh);
        }
        syncDirectory(directory);
      }
      if (!Files.exists(state)) {
        throw new KeyException(
            "no sealing chain in " + directory + ": run 'telltale seal-init' first");
      }
      SealState parsed = parse(state);
      return new SealState(
          directory,
          lockChannel,
          lock,
          parsed.chainId,
          parsed.nextSequence,
          parsed.key,
          parsed.previousSeal);
    } catch (IOException e) {
      throw new OutputException("cannot read the sealing state in " + directory + ": " + e, e);
    }
  }

  private static SealState parse(Path file) throws IOException, KeyException {
    if (Files.size(file) > MAX_STATE_BYTES) {
      throw new KeyException("malformed sealing state " + file + ": larger than 4096 bytes");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    try {
      if (lines.size() != 5 || !lines.get(0).equals(HEADER)) {
        throw new IllegalArgumentException("expected 5 lines starting with " + HEADER);
      }
      String chainId = value(lines.get(1), "chain");
      long next = Long.parseLong(value(lines.get(2), "next-seq"));
      SealKey key = SealKey.ofBytes(HexFormat.of().parseHex(value(lines.get(3), "key")));
      String previous = value(lines.get(4), "prev");
      if (!chainId.matches("[0-9a-f]{16}") || next < 0 || !previous.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("field out of range");
      }
      return new SealState(null, null, null, chainId, next, key, previous);
    } catch (IllegalArgumentException e) {
      throw new KeyException("malformed sealing state " + file + ": " + e.getMessage());
    }
  }

  private static String value(String line, String name) {
    if (!line.startsWith(name + " ")) {
      throw new IllegalArgumentException("expected field '" + name + "'");
    }
    return line.substring(name.length() + 1);
  }

  /** Returns the chain id. */
  public String chainId() {
    return chainId;
  }

  /** Returns the sequence number that the next record gets. */
  public long nextSequence() {
    return nextSequence;
  }

  /**
   * Seals one record, then replaces the state with the next key before returning, so the key that
   * sealed this record is gone from disk and memory once the record leaves this method.
   *
   * @param payloadJson a compact printable-ASCII JSON object
   * @throws OutputException if the new state cannot be written; the record is then not returned
   */
  public AlertRecord seal(String host, String kind, String payloadJson, Instant time)
      throws OutputException {
    String body =
        AlertRecord.body(chainId, nextSequence, time, host, kind, previousSeal, payloadJson);
    String seal = HexFormat.of().formatHex(key.seal(AlertRecord.ascii(body)));
    AlertRecord record =
        new AlertRecord(chainId, nextSequence, time, host, kind, previousSeal, payloadJson, seal);
    SealKey next = key.evolve();
    try {
      writeAtomically(directory, chainId, nextSequence + 1, next, seal);
    } catch (IOException e) {
      next.destroy();
      throw new OutputException("cannot write the sealing state in " + directory + ": " + e, e);
    }
    key.destroy();
    key = next;
    nextSequence++;
    previousSeal = seal;
    return record;
  }

  private static void writeAtomically(
      Path directory, String chainId, long nextSequence, SealKey key, String previousSeal)
      throws IOException {
    byte[] keyBytes = key.toBytes();
    String text =
        HEADER
            + "\nchain "
            + chainId
            + "\nnext-seq "
            + nextSequence
            + "\nkey "
            + HexFormat.of().formatHex(keyBytes)
            + "\nprev "
            + previousSeal
            + "\n";
    Arrays.fill(keyBytes, (byte) 0);
    Path fresh = directory.resolve(NEW_STATE_FILE);
    Path state = directory.resolve(STATE_FILE);
    Files.deleteIfExists(fresh);
    Files.createFile(
        fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel channel = FileChannel.open(fresh, StandardOpenOption.WRITE)) {
      writeFully(channel, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
    wipe(state);
    try {
      Files.move(fresh, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the state directory does not support atomic rename", e);
    }
    syncDirectory(directory);
  }

  /** Overwrites a file's bytes with zeros in place and syncs them, if the file exists. */
  private static void wipe(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = channel.size();
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, MAX_STATE_BYTES));
      writeFully(channel, zeros);
      channel.force(true);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Destroys the key in memory and releases the lock. */
  @Override
  public void close() {
    if (key != null) {
      key.destroy();
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock anyway; nothing is left to undo.
    }
  }
}
