package dev.telltale.alert;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.crypto.KeyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host side of a sealing chain: the current key k(i), the next sequence number and the last
 * seal, kept in the file {@code seal.state} of a state directory. Each record is sealed under an
 * exclusive lock on {@code seal.lock}, held only while the state is read, used and replaced. So a
 * long-running watch, a check and a heartbeat timer can share one chain without ever forking it,
 * and the key is in memory only while it seals.
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

  // File locks belong to the whole process, so threads of one process also need a monitor.
  private static final ConcurrentHashMap<Path, Object> PROCESS_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final FileChannel lockChannel;
  private String chainId;
  private long nextSequence;
  private Thread owner;

  /** The contents of a state file; the caller destroys the key. */
  private record Contents(String chainId, long nextSequence, SealKey key, String previousSeal) {}

  /** Work done while the state is locked. */
  private interface LockedAction<T> {
    T run() throws IOException, TelltaleException;
  }

  /** Work that seals and delivers records while this process has the chain to itself. */
  interface ExclusiveWork {
    void run() throws TelltaleException;
  }

  private SealState(Path directory, FileChannel lockChannel) {
    this.directory = directory;
    this.lockChannel = lockChannel;
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
      try (FileChannel channel = openLockFile(directory)) {
        return locked(
            directory,
            channel,
            () -> {
              boolean exists =
                  Files.exists(directory.resolve(STATE_FILE))
                      || Files.exists(directory.resolve(NEW_STATE_FILE));
              if (exists && !replace) {
                throw new OutputException(
                    "a sealing chain already exists in "
                        + directory
                        + ": pass --force to start a new chain (receivers will report a restart)");
              }
              SealKey initial = SealKey.generate(new SecureRandom());
              writeAtomically(
                  directory, initial.chainId(), 0, initial, AlertRecord.NO_PREVIOUS_SEAL);
              return initial;
            });
      }
    } catch (OutputException e) {
      throw e;
    } catch (TelltaleException e) {
      throw new IllegalStateException("initialize reads no key", e);
    } catch (IOException e) {
      throw new OutputException("cannot create the sealing state in " + directory + ": " + e, e);
    }
  }

  /**
   * Opens the chain in the directory and checks that its state is readable.
   *
   * @throws KeyException if there is no chain yet or its state file is malformed
   * @throws OutputException if the directory cannot be read or locked
   */
  public static SealState open(Path directory) throws KeyException, OutputException {
    if (!Files.isRegularFile(directory.resolve(STATE_FILE))
        && !Files.isRegularFile(directory.resolve(NEW_STATE_FILE))) {
      throw new KeyException(
          "no sealing chain in " + directory + ": run 'telltale seal-init' first");
    }
    FileChannel channel;
    try {
      channel = openLockFile(directory);
    } catch (IOException e) {
      throw new OutputException("cannot open the lock of " + directory + ": " + e, e);
    }
    SealState state = new SealState(directory, channel);
    try {
      state.withContents(contents -> null);
    } catch (KeyException | OutputException | RuntimeException e) {
      state.close();
      throw e;
    }
    return state;
  }

  private static FileChannel openLockFile(Path directory) throws IOException {
    return FileChannel.open(
        directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  private static <T> T locked(Path directory, FileChannel channel, LockedAction<T> action)
      throws IOException, TelltaleException {
    Object processLock =
        PROCESS_LOCKS.computeIfAbsent(directory.toAbsolutePath().normalize(), path -> new Object());
    synchronized (processLock) {
      FileLock lock = channel.lock();
      try {
        return action.run();
      } finally {
        lock.release();
      }
    }
  }

  /**
   * Runs work while this process has the chain to itself, so that records sealed inside are also
   * delivered and spooled before any other process seals the next one. Sinks and spools then see
   * records in sequence order even when a check, a watch and a heartbeat timer share the chain.
   */
  void exclusively(ExclusiveWork work) throws TelltaleException {
    try {
      locked(
          directory,
          lockChannel,
          () -> {
            owner = Thread.currentThread();
            try {
              work.run();
            } finally {
              owner = null;
            }
            return null;
          });
    } catch (IOException e) {
      throw new OutputException("cannot lock the sealing state in " + directory + ": " + e, e);
    }
  }

  /** Reads the state under the lock, runs the action, and destroys the key afterwards. */
  private <T> T withContents(ContentsAction<T> action) throws KeyException, OutputException {
    LockedAction<T> work =
        () -> {
          Contents contents = load();
          try {
            chainId = contents.chainId();
            nextSequence = contents.nextSequence();
            return action.run(contents);
          } finally {
            contents.key().destroy();
          }
        };
    try {
      // A file lock is not reentrant, so work inside exclusively() runs under the lock it holds.
      return owner == Thread.currentThread() ? work.run() : locked(directory, lockChannel, work);
    } catch (KeyException | OutputException e) {
      throw e;
    } catch (TelltaleException e) {
      throw new IllegalStateException("sealing raised " + e, e);
    } catch (IOException e) {
      throw new OutputException("cannot use the sealing state in " + directory + ": " + e, e);
    }
  }

  /** Work on the state's contents while it is locked. */
  private interface ContentsAction<T> {
    T run(Contents contents) throws IOException, KeyException, OutputException;
  }

  private Contents load() throws IOException, KeyException {
    Path state = directory.resolve(STATE_FILE);
    Path fresh = directory.resolve(NEW_STATE_FILE);
    // A crash between writing the new state and renaming it leaves both files. A complete new
    // file was synced before the old one was wiped, so it is the current state. An incomplete one
    // means that the old file was never wiped and is still current.
    if (Files.exists(fresh)) {
      boolean complete;
      try {
        parse(fresh).key().destroy();
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
    return parse(state);
  }

  private static Contents parse(Path file) throws IOException, KeyException {
    if (Files.size(file) > MAX_STATE_BYTES) {
      throw new KeyException("malformed sealing state " + file + ": larger than 4096 bytes");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    try {
      if (lines.size() != 5 || !lines.get(0).equals(HEADER)) {
        throw new IllegalArgumentException("expected 5 lines starting with " + HEADER);
      }
      String chainId = value(lines.get(1), "chain");
      long next = Long.parseLong(value(lines.get(2), "next-seq"));
      String previous = value(lines.get(4), "prev");
      if (!chainId.matches("[0-9a-f]{16}") || next < 0 || !previous.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("field out of range");
      }
      SealKey key = SealKey.ofBytes(HexFormat.of().parseHex(value(lines.get(3), "key")));
      return new Contents(chainId, next, key, previous);
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

  /** Returns the chain id as of the last record sealed or the opening. */
  public String chainId() {
    return chainId;
  }

  /** Returns the sequence number the next record gets, as of the last record sealed here. */
  public long nextSequence() {
    return nextSequence;
  }

  /**
   * Seals one record, then replaces the state with the next key before returning, so the key that
   * sealed this record is gone from disk and memory once the record leaves this method.
   *
   * @param payloadJson a compact printable-ASCII JSON object
   * @throws KeyException if the state file became malformed
   * @throws OutputException if the new state cannot be written; the record is then not returned
   */
  public AlertRecord seal(String host, String kind, String payloadJson, Instant time)
      throws KeyException, OutputException {
    return withContents(
        contents -> {
          long sequence = contents.nextSequence();
          // The seal field is a placeholder until the body is sealed.
          AlertRecord unsealed =
              new AlertRecord(
                  contents.chainId(),
                  sequence,
                  time,
                  host,
                  kind,
                  contents.previousSeal(),
                  payloadJson,
                  AlertRecord.NO_PREVIOUS_SEAL);
          byte[] seal = contents.key().seal(AlertRecord.ascii(unsealed.body()));
          AlertRecord record = unsealed.withSeal(HexFormat.of().formatHex(seal));
          SealKey next = contents.key().evolve();
          try {
            writeAtomically(directory, contents.chainId(), sequence + 1, next, record.seal());
          } finally {
            next.destroy();
          }
          nextSequence = sequence + 1;
          return record;
        });
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

  /** Releases the lock file. */
  @Override
  public void close() {
    try {
      lockChannel.close();
    } catch (IOException e) {
      // Nothing was written through this channel; closing it only drops the lock file handle.
    }
  }
}
