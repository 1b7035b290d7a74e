package dev.telltale.scan;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.posix.Errno;
import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import dev.telltale.posix.Statx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Walks a directory tree by file descriptors and returns its entries in canonical order.
 *
 * <p>Guarantees: no path string is resolved from the root after the root itself is opened, so a
 * directory swapped for a symbolic link during the scan cannot lead the walk elsewhere. Symbolic
 * links are never followed. Only regular files are opened for reading and only directories are
 * opened to walk; each opened one is checked with fstat to be the inode that was examined. FIFOs,
 * sockets and devices are never opened. The walk stays on the root's file system unless the plan
 * allows a crossing. An entry that cannot be read carries an error and the scan goes on.
 *
 * <p>NOTE: one directory descriptor stays open per level of the current path, so a tree deeper than
 * the process's descriptor limit (RLIMIT_NOFILE) gets EMFILE errors at its deepest levels.
 */
public final class Scanner {
  static final String VANISHED = "vanished during the scan (ENOENT)";
  static final String REPLACED = "replaced during the scan";

  /**
   * Longest path below which the walk still descends. A baseline line is at most 1 MiB long and
   * each byte of a name may take three when escaped, so deeper paths could not be stored. The
   * directory gets an error instead, which makes the coverage gap visible.
   */
  static final int MAX_WALK_PATH_BYTES = 128 * 1024;

  static final String TOO_DEEP =
      "path longer than " + MAX_WALK_PATH_BYTES + " bytes: its contents are not scanned";
  static final String CHANGED_WHILE_READ =
      "changed while it was read (size or times moved): check again";

  private static final int FILE_FLAGS =
      Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC;
  private static final int DIRECTORY_FLAGS = FILE_FLAGS | Posix.O_DIRECTORY;
  private static final int PASS_THROUGH_FLAGS =
      Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC;

  /**
   * Entries a scan may run ahead of its consumer. On /usr that is about a third of a second of
   * scanning, what reading the package set or verifying the baseline takes before the consumer
   * starts. The batches bound its memory: at most 64 of them, each of at most 256 Ki characters of
   * text, so about 16 MiB of text plus one entry per batch.
   */
  private static final int READ_AHEAD_ENTRIES = 8192;

  private final Path rootDirectory;
  private final WalkPlan plan;
  private final ScanOptions options;
  private final ScanHook hook;

  private final AtomicLong entriesDone = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();

  /**
   * Creates a scanner; nothing is opened until {@link #scan()} or {@link #examine}.
   *
   * @param rootDirectory the directory that policy paths are relative to, {@code /} for the live
   *     system
   */
  public Scanner(Path rootDirectory, WalkPlan plan, ScanOptions options) {
    this(rootDirectory, plan, options, ScanHook.NONE);
  }

  Scanner(Path rootDirectory, WalkPlan plan, ScanOptions options, ScanHook hook) {
    this.rootDirectory = rootDirectory;
    this.plan = plan;
    this.options = options;
    this.hook = hook;
  }

  /**
   * Starts the walk on a thread of its own. The stream must be closed; closing it early waits for
   * in-flight digests and closes every descriptor.
   *
   * @throws OutputException if the root directory cannot be opened
   */
  public EntryStream scan() throws TelltaleException {
    int rootFd = openRoot();
    try {
      Statx rootStat = Posix.fstat(rootFd);
      Walk walk = new Walk(this, rootFd, rootStat, options.threads());
      return ReadAhead.start(walk, walk::abort, READ_AHEAD_ENTRIES);
    } catch (PosixException e) {
      Posix.close(rootFd);
      throw rootFailure(e);
    }
  }

  /**
   * Examines one path, walking down from the root component by component with O_NOFOLLOW, and
   * computes its digests in the calling thread.
   *
   * @return the entry, with an error when it could not be read; null when the path does not exist
   *     or lies below something that is not a directory
   * @throws OutputException if the root directory cannot be opened
   */
  public Entry examine(FsPath path, Set<Attribute> attributes) throws TelltaleException {
    int rootFd = openRoot();
    int parentFd = -1;
    try {
      EntryReader reader = new EntryReader(rootFd);
      Statx rootStat = Posix.fstat(rootFd);
      if (path.isRoot()) {
        return examineRoot(reader, rootFd, rootStat, attributes);
      }
      try {
        parentFd = openParent(rootFd, path);
      } catch (PosixException e) {
        return new Entry(path, EntryType.UNKNOWN, Map.of(), e.shortMessage());
      }
      if (parentFd < 0) {
        return null;
      }
      Examined examined =
          examineAt(
              new Context(reader, Runnable::run, () -> false),
              parentFd,
              rootStat,
              path.name(),
              path,
              attributes,
              false,
              false);
      return examined == null || examined.entry() == null ? null : examined.entry().join();
    } catch (PosixException e) {
      throw rootFailure(e);
    } finally {
      if (parentFd != rootFd) {
        Posix.close(parentFd);
      }
      Posix.close(rootFd);
    }
  }

  /**
   * Returns the lower-case hex digest of the first {@code lengthBytes} bytes of a regular file, so
   * that a file that only grows can be checked against the digest of its old length.
   *
   * @throws UnreadableEntryException if the path is missing, not a regular file, unreadable, or
   *     shorter than {@code lengthBytes}
   * @throws OutputException if the root directory cannot be opened
   */
  public String prefixDigest(FsPath path, Attribute digest, long lengthBytes)
      throws TelltaleException {
    if (!digest.isDigest() || lengthBytes < 0) {
      throw new IllegalArgumentException(digest + " with length " + lengthBytes);
    }
    int rootFd = openRoot();
    int parentFd = -1;
    int fileFd = -1;
    try {
      parentFd = path.isRoot() ? -1 : openParent(rootFd, path);
      if (parentFd < 0) {
        throw new UnreadableEntryException(path + ": not a regular file");
      }
      byte[] name = path.name();
      Statx listed = Posix.lstatAt(parentFd, name);
      if (EntryType.fromMode(listed.mode()) != EntryType.FILE) {
        throw new UnreadableEntryException(path + ": not a regular file");
      }
      fileFd = Posix.openatNoAtime(parentFd, name, FILE_FLAGS);
      if (!Posix.fstat(fileFd).sameInode(listed)) {
        throw new UnreadableEntryException(path + ": " + REPLACED);
      }
      ContentDigest.Result result =
          ContentDigest.compute(fileFd, Set.of(digest), lengthBytes, bytesDone, () -> false);
      if (result.lengthBytes() < lengthBytes) {
        throw new UnreadableEntryException(
            path + ": has " + result.lengthBytes() + " bytes, fewer than " + lengthBytes);
      }
      return result.digests().get(digest);
    } catch (PosixException e) {
      throw new UnreadableEntryException(path + ": " + e.shortMessage());
    } finally {
      Posix.close(fileFd);
      if (parentFd != rootFd) {
        Posix.close(parentFd);
      }
      Posix.close(rootFd);
    }
  }

  /** Returns the entries returned and content bytes read so far, across all calls. */
  public ScanProgress progress() {
    return new ScanProgress(entriesDone.get(), bytesDone.get());
  }

  void countEntry() {
    entriesDone.incrementAndGet();
  }

  private int openRoot() throws OutputException {
    byte[] root = rootDirectory.toString().getBytes(StandardCharsets.UTF_8);
    try {
      // The root itself may be reached through symbolic links: the user named it.
      return Posix.openat(Posix.AT_FDCWD, root, DIRECTORY_FLAGS & ~Posix.O_NOFOLLOW, 0);
    } catch (PosixException e) {
      throw rootFailure(e);
    }
  }

  private OutputException rootFailure(PosixException e) {
    return new OutputException(
        "cannot open root directory '"
            + rootDirectory
            + "': "
            + e.shortMessage()
            + "; give a readable directory with --root");
  }

  /**
   * Opens the parent directory of {@code path} with O_PATH, one component at a time without
   * following symbolic links. Returns {@code rootFd} itself for a child of the root, or -1 when a
   * component is missing, a symbolic link, or not a directory.
   */
  private static int openParent(int rootFd, FsPath path) throws PosixException {
    List<byte[]> components = path.components();
    int fd = rootFd;
    for (int i = 0; i < components.size() - 1; i++) {
      int next;
      try {
        next = Posix.openat(fd, components.get(i), PASS_THROUGH_FLAGS, 0);
      } catch (PosixException e) {
        if (fd != rootFd) {
          Posix.close(fd);
        }
        int errno = e.errno();
        if (errno == Errno.ENOENT || errno == Errno.ENOTDIR || errno == Errno.ELOOP) {
          return -1;
        }
        throw e;
      }
      if (fd != rootFd) {
        Posix.close(fd);
      }
      fd = next;
    }
    return fd;
  }

  /** What examining needs besides the entry: attribute reading and where digests run. */
  record Context(EntryReader reader, Executor digestExecutor, BooleanSupplier aborted) {}

  /**
   * One examined entry: its value, possibly still waiting for a digest, and for a directory to walk
   * its open descriptor, status and child names.
   */
  record Examined(CompletableFuture<Entry> entry, Frame frame) {}

  /** A directory on the walk's stack: its open descriptor and the children still to examine. */
  static final class Frame {
    final int fd;
    final FsPath path;
    final Statx stat;
    final List<byte[]> names;
    final boolean listed;
    int next;

    Frame(int fd, FsPath path, Statx stat, List<byte[]> names, boolean listed) {
      this.fd = fd;
      this.path = path;
      this.stat = stat;
      this.names = names;
      this.listed = listed;
    }
  }

  Entry examineRoot(EntryReader reader, int rootFd, Statx rootStat, Set<Attribute> attributes) {
    Map<Attribute, String> values = new EnumMap<>(Attribute.class);
    List<String> errors = new ArrayList<>();
    reader.addStatValues(rootStat, EntryType.DIRECTORY, attributes, values);
    readOpenAttributes(reader, rootFd, attributes, values, errors);
    return entry(FsPath.ROOT, EntryType.DIRECTORY, values, errors);
  }

  /** Lists the root for the walk, or returns null when the plan does not walk below it. */
  Frame rootFrame(int rootFd, Statx rootStat, List<String> errors) {
    Descent descent = plan.descentBelow(FsPath.ROOT);
    return listDirectory(rootFd, FsPath.ROOT, rootStat, descent, errors);
  }

  Set<Attribute> attributesFor(FsPath path) {
    return plan.attributesFor(path);
  }

  ScanHook hook() {
    return hook;
  }

  /**
   * Examines the child {@code name} of an open directory.
   *
   * @param listed true when the name came from listing the directory, so that its absence means it
   *     vanished; false when a rule named it, so that its absence means it does not exist
   * @param mayDescend false to never open the child as a directory to walk
   * @return null when nothing is recorded or walked for this child
   */
  Examined examineAt(
      Context context,
      int dirFd,
      Statx parentStat,
      byte[] name,
      FsPath path,
      Set<Attribute> attributes,
      boolean listed,
      boolean mayDescend) {
    Statx stat;
    try {
      stat = Posix.lstatAt(dirFd, name);
    } catch (PosixException e) {
      if (attributes == null || (e.errno() == Errno.ENOENT && !listed)) {
        return null;
      }
      String error = e.errno() == Errno.ENOENT ? VANISHED : e.shortMessage();
      Entry unknown = new Entry(path, EntryType.UNKNOWN, Map.of(), error);
      return new Examined(CompletableFuture.completedFuture(unknown), null);
    }
    EntryType type = EntryType.fromMode(stat.mode());
    Descent descent = Descent.NONE;
    if (mayDescend && type == EntryType.DIRECTORY) {
      descent = plan.descentBelow(path);
      if (!(descent instanceof Descent.None)
          && !stat.sameDevice(parentStat)
          && !plan.mayCrossInto(path)) {
        descent = Descent.NONE;
      }
    }
    boolean tooDeep = false;
    if (!(descent instanceof Descent.None)
        && type == EntryType.DIRECTORY
        && path.lengthBytes() > MAX_WALK_PATH_BYTES) {
      descent = Descent.NONE;
      tooDeep = true;
    }
    boolean walk = !(descent instanceof Descent.None);
    if (attributes == null && !walk) {
      return null;
    }
    Set<Attribute> recorded = attributes == null ? Set.of() : attributes;
    Map<Attribute, String> values = new EnumMap<>(Attribute.class);
    List<String> errors = new ArrayList<>();
    if (tooDeep) {
      errors.add(TOO_DEEP);
      if (attributes == null) {
        return new Examined(completedOrNull(path, type, values, errors, Set.of()), null);
      }
    }
    reader(context).addStatValues(stat, type, recorded, values);

    int fd = -1;
    if (needsOpen(type, recorded, walk)) {
      hook.beforeOpen(path);
      try {
        fd = openChecked(dirFd, name, type, stat);
      } catch (PosixException e) {
        errors.add(openFailure(e));
      } catch (ReplacedException e) {
        errors.add(REPLACED);
      }
      if (fd < 0) {
        return new Examined(completedOrNull(path, type, values, errors, attributes), null);
      }
    }
    switch (type) {
      case SYMLINK -> {
        if (recorded.contains(Attribute.TARGET)) {
          reader(context).addLinkTarget(dirFd, name, values, errors);
        }
        readUnopenedXattrs(context, dirFd, name, recorded, values, errors);
      }
      case FIFO, SOCKET, CHAR_DEVICE, BLOCK_DEVICE, UNKNOWN ->
          readUnopenedXattrs(context, dirFd, name, recorded, values, errors);
      case FILE, DIRECTORY -> {
        if (fd >= 0) {
          readOpenAttributes(reader(context), fd, recorded, values, errors);
        }
      }
    }
    if (type == EntryType.FILE && fd >= 0 && hasDigest(recorded)) {
      return new Examined(digestLater(context, fd, stat, path, values, errors, recorded), null);
    }
    Frame frame = null;
    if (walk && fd >= 0) {
      frame = listDirectory(fd, path, stat, descent, errors);
      fd = -1;
    }
    Posix.close(fd);
    return new Examined(completedOrNull(path, type, values, errors, attributes), frame);
  }

  private static EntryReader reader(Context context) {
    return context.reader();
  }

  /**
   * Returns the entry, or, for a directory that the plan walks but does not record, an entry only
   * when it has an error, so that the missing coverage below it is reported.
   */
  private static CompletableFuture<Entry> completedOrNull(
      FsPath path,
      EntryType type,
      Map<Attribute, String> values,
      List<String> errors,
      Set<Attribute> attributes) {
    if (attributes == null && errors.isEmpty()) {
      return null;
    }
    return CompletableFuture.completedFuture(entry(path, type, values, errors));
  }

  /**
   * Returns the error for an entry that could not be opened. ELOOP and ENOTDIR mean that a symbolic
   * link or another type took the examined name, because O_NOFOLLOW and O_DIRECTORY reject those.
   */
  private static String openFailure(PosixException e) {
    return switch (e.errno()) {
      case Errno.ENOENT -> VANISHED;
      case Errno.ELOOP, Errno.ENOTDIR -> REPLACED;
      default -> e.shortMessage();
    };
  }

  private static boolean needsOpen(EntryType type, Set<Attribute> recorded, boolean walk) {
    boolean fdAttributes = EntryReader.wantsXattrs(recorded) || recorded.contains(Attribute.FLAGS);
    return switch (type) {
      case FILE -> fdAttributes || hasDigest(recorded);
      case DIRECTORY -> walk || fdAttributes;
      default -> false;
    };
  }

  private static boolean hasDigest(Set<Attribute> recorded) {
    return recorded.contains(Attribute.SHA256) || recorded.contains(Attribute.SHA512);
  }

  /** The opened inode is not the examined one: something was swapped in between. */
  private static final class ReplacedException extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private static boolean sameContentStamp(Statx before, Statx after) {
    return before.sizeBytes() == after.sizeBytes()
        && before.mtimeSeconds() == after.mtimeSeconds()
        && before.mtimeNanos() == after.mtimeNanos()
        && before.ctimeSeconds() == after.ctimeSeconds()
        && before.ctimeNanos() == after.ctimeNanos();
  }

  private static int openChecked(int dirFd, byte[] name, EntryType type, Statx examined)
      throws PosixException, ReplacedException {
    int flags = type == EntryType.DIRECTORY ? DIRECTORY_FLAGS : FILE_FLAGS;
    int fd = Posix.openatNoAtime(dirFd, name, flags);
    boolean same;
    try {
      Statx opened = Posix.fstat(fd);
      same = opened.sameInode(examined) && opened.fileTypeBits() == examined.fileTypeBits();
    } catch (PosixException e) {
      Posix.close(fd);
      throw e;
    }
    if (!same) {
      Posix.close(fd);
      throw new ReplacedException();
    }
    return fd;
  }

  private void readOpenAttributes(
      EntryReader reader,
      int fd,
      Set<Attribute> recorded,
      Map<Attribute, String> values,
      List<String> errors) {
    if (EntryReader.wantsXattrs(recorded)) {
      reader.addXattrValues(new EntryReader.OpenFile(fd), recorded, values, errors);
    }
    if (recorded.contains(Attribute.FLAGS)) {
      reader.addFlags(fd, values, errors);
    }
  }

  private static void readUnopenedXattrs(
      Context context,
      int dirFd,
      byte[] name,
      Set<Attribute> recorded,
      Map<Attribute, String> values,
      List<String> errors) {
    if (EntryReader.wantsXattrs(recorded)) {
      context
          .reader()
          .addXattrValues(EntryReader.UnopenedEntry.of(dirFd, name), recorded, values, errors);
    }
  }

  /**
   * Hashes a file on the digest pool. Only the examined size is read, and the file is examined
   * again afterwards. When its size or times moved during the read, the digest may describe no
   * state the file was ever in, so the entry gets an error instead of a digest that looks valid.
   */
  private CompletableFuture<Entry> digestLater(
      Context context,
      int fd,
      Statx examined,
      FsPath path,
      Map<Attribute, String> values,
      List<String> errors,
      Set<Attribute> recorded) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            ContentDigest.Result result =
                ContentDigest.compute(
                    fd, recorded, examined.sizeBytes(), bytesDone, context.aborted());
            Statx after = Posix.fstat(fd);
            if (result.lengthBytes() != examined.sizeBytes()
                || !sameContentStamp(examined, after)) {
              errors.add(CHANGED_WHILE_READ);
            } else {
              values.putAll(result.digests());
            }
          } catch (PosixException e) {
            errors.add(e.shortMessage());
          } finally {
            Posix.close(fd);
          }
          return entry(path, EntryType.FILE, values, errors);
        },
        context.digestExecutor());
  }

  /**
   * Reads the children of an open directory for the walk and takes ownership of its descriptor.
   * Returns null, with the descriptor closed and an error added, when it cannot be listed.
   */
  private static Frame listDirectory(
      int fd, FsPath path, Statx stat, Descent descent, List<String> errors) {
    List<byte[]> names;
    boolean listed;
    switch (descent) {
      case Descent.None none -> {
        Posix.close(fd);
        return null;
      }
      case Descent.All all -> {
        try {
          names = new ArrayList<>(Posix.readDirectory(fd));
        } catch (PosixException e) {
          errors.add(e.shortMessage());
          Posix.close(fd);
          return null;
        }
        listed = true;
      }
      case Descent.Named named -> {
        names = new ArrayList<>(named.names());
        listed = false;
      }
    }
    names.sort(Arrays::compareUnsigned);
    return new Frame(fd, path, stat, withoutDuplicates(names), listed);
  }

  /** Drops repeated names, which only a corrupt or hostile file system would return. */
  private static List<byte[]> withoutDuplicates(List<byte[]> sorted) {
    List<byte[]> unique = new ArrayList<>(sorted.size());
    for (byte[] name : sorted) {
      if (unique.isEmpty() || !Arrays.equals(unique.getLast(), name)) {
        unique.add(name);
      }
    }
    return unique;
  }

  static Entry entry(
      FsPath path, EntryType type, Map<Attribute, String> values, List<String> errors) {
    return new Entry(path, type, values, errors.isEmpty() ? null : String.join("; ", errors));
  }
}
