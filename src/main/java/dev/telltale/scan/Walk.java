package dev.telltale.scan;

import dev.telltale.TelltaleException;
import dev.telltale.posix.Posix;
import dev.telltale.posix.Statx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running scan: a depth-first walk over an explicit stack of open directories, run in the
 * thread that calls {@link #next()}, ahead of which at most {@link #windowSize} entries wait for
 * digests on the thread pool. Entries leave in the order they were examined, which is the canonical
 * order, so memory and open descriptors are bounded by the window plus one directory per level.
 */
final class Walk implements EntryStream {
  /** Entries whose digests the walk waits for at once when the head is not ready. */
  private static final int STRETCH = 16;

  private static final long STRETCH_WAIT_MILLIS = 2;

  private final Scanner scanner;
  private final int rootFd;
  private final Statx rootStat;
  private final ExecutorService pool;
  private final Scanner.Context context;
  private final int windowSize;

  private final Deque<Scanner.Frame> stack = new ArrayDeque<>();
  private final Deque<CompletableFuture<Entry>> window = new ArrayDeque<>();
  private volatile boolean aborted;
  private boolean started;
  private boolean closed;
  private FsPath last;

  Walk(Scanner scanner, int rootFd, Statx rootStat, int threads) {
    this.scanner = scanner;
    this.rootFd = rootFd;
    this.rootStat = rootStat;
    this.pool = Executors.newFixedThreadPool(threads, daemonThreads());
    this.context = new Scanner.Context(new EntryReader(rootFd), pool, () -> aborted);
    // Wide enough that a large file at the head does not leave the other threads idle. Each file in
    // the window keeps one descriptor open, so the cap of 512 stays below the common soft limit of
    // 1024 descriptors (RLIMIT_NOFILE) with room for the directories of the current path.
    this.windowSize = Math.clamp(threads * 32L, 64, 512);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "telltale-digest-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public Entry next() throws TelltaleException {
    if (closed) {
      throw new IllegalStateException("scan stream is closed");
    }
    while (window.size() < windowSize && advance()) {
      // Each step examines one child or leaves one finished directory.
    }
    CompletableFuture<Entry> head = window.pollFirst();
    if (head == null) {
      return null;
    }
    if (!head.isDone()) {
      awaitStretch(head);
    }
    Entry entry;
    try {
      entry = head.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("digest task failed", e.getCause());
    }
    if (last != null && entry.path().compareTo(last) <= 0) {
      throw new IllegalStateException("scan order broken: " + entry.path() + " after " + last);
    }
    last = entry.path();
    scanner.countEntry();
    return entry;
  }

  /**
   * Waits until the head and the entries behind it, up to {@value #STRETCH} in all, have their
   * digests, or at most {@value #STRETCH_WAIT_MILLIS} ms. Digests finish about in order, so the
   * walk then sleeps and is woken once for a stretch of small files rather than once for each. Each
   * wake-up is a system call, and on a virtual machine often an interrupt to another processor. The
   * time limit keeps a large file in the stretch from holding up the entries before it.
   */
  private void awaitStretch(CompletableFuture<Entry> head) {
    CompletableFuture<Entry> last = head;
    int counted = 1;
    for (CompletableFuture<Entry> pending : window) {
      if (counted++ == STRETCH) {
        break;
      }
      last = pending;
    }
    try {
      last.get(STRETCH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // A failure surfaces when its own entry is taken; after the time limit the head is joined.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean advance() {
    if (!started) {
      started = true;
      startAtRoot();
      return true;
    }
    Scanner.Frame top = stack.peek();
    if (top == null) {
      return false;
    }
    if (top.next == top.names.size()) {
      stack.pop();
      Posix.close(top.fd);
      return true;
    }
    byte[] name = top.names.get(top.next++);
    FsPath child;
    try {
      child = top.path.child(name);
    } catch (IllegalArgumentException e) {
      // NOTE: a name with '/' or NUL comes only from a corrupt file system or a bad plan; it is
      // skipped because it cannot be written as a path.
      return true;
    }
    scanner.hook().beforeExamine(child);
    Scanner.Examined examined =
        scanner.examineAt(
            context, top.fd, top.stat, name, child, scanner.attributesFor(child), top.listed, true);
    if (examined != null) {
      if (examined.entry() != null) {
        window.addLast(examined.entry());
      }
      if (examined.frame() != null) {
        stack.push(examined.frame());
      }
    }
    return true;
  }

  private void startAtRoot() {
    List<String> errors = new ArrayList<>();
    int walkFd = dupRoot(errors);
    Scanner.Frame frame = walkFd < 0 ? null : scanner.rootFrame(walkFd, rootStat, errors);
    var attributes = scanner.attributesFor(FsPath.ROOT);
    if (attributes != null || !errors.isEmpty()) {
      Entry root =
          scanner.examineRoot(
              context.reader(),
              rootFd,
              rootStat,
              attributes == null ? java.util.Set.of() : attributes);
      if (!errors.isEmpty()) {
        root = root.withError(join(root.error(), String.join("; ", errors)));
      }
      window.addLast(CompletableFuture.completedFuture(root));
    }
    if (frame != null) {
      stack.push(frame);
    }
  }

  /**
   * Opens the root again for the walk's stack, so that the stack owns every descriptor it closes.
   */
  private int dupRoot(List<String> errors) {
    try {
      return Posix.openat(
          rootFd, new byte[] {'.'}, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC, 0);
    } catch (dev.telltale.posix.PosixException e) {
      errors.add(e.shortMessage());
      return -1;
    }
  }

  private static String join(String first, String second) {
    return first == null ? second : first + "; " + second;
  }

  /** Makes digests in flight stop early; safe to call from any thread. */
  void abort() {
    aborted = true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    aborted = true;
    // Digest tasks own their descriptors; wait so that each one is closed before we return.
    for (CompletableFuture<Entry> pending : window) {
      try {
        pending.join();
      } catch (CompletionException e) {
        // Already abandoned; the failure only matters to a caller of next().
      }
    }
    window.clear();
    pool.shutdown();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    while (!stack.isEmpty()) {
      Posix.close(stack.pop().fd);
    }
    Posix.close(rootFd);
  }
}
