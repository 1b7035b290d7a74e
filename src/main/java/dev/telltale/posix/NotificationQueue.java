package dev.telltale.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A notification descriptor (inotify or fanotify, opened non-blocking) paired with an eventfd, so
 * that another thread can wake a blocked {@link #read}.
 *
 * <p>{@link #read} and {@link #wakeUp} may run in different threads; {@link #close} must not run
 * while a read is in progress in another thread.
 */
final class NotificationQueue implements AutoCloseable {
  private static final int EFD_CLOEXEC = 02000000;
  private static final int EFD_NONBLOCK = 04000;
  private static final short POLLIN = 1;

  private static final Linker LINKER = Linker.nativeLinker();
  static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout POINTER = ValueLayout.ADDRESS;

  private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle POLL =
      bind("poll", FunctionDescriptor.of(INT, POINTER, LONG, INT));
  private static final MethodHandle READ =
      bind("read", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
  private static final MethodHandle WRITE =
      bind("write", FunctionDescriptor.of(LONG, INT, POINTER, LONG));

  private final String name;
  private final int fd;
  private final int wakeFd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer;
  private final MemorySegment pollFds = arena.allocate(16, 8);
  private final MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);

  /**
   * Pairs {@code fd} with a new eventfd. On failure {@code fd} is closed.
   *
   * @param name the kind of descriptor, such as {@code inotify}, for error messages
   * @param fd the notification descriptor, which this object closes
   * @param bufferBytes the size of the read buffer
   */
  NotificationQueue(String name, int fd, int bufferBytes) throws PosixException {
    this.name = name;
    this.fd = fd;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment eventfdCapture = local.allocate(CAPTURE_LAYOUT);
      int created = (int) EVENTFD.invokeExact(eventfdCapture, 0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (created < 0) {
        Posix.close(fd);
        arena.close();
        throw new PosixException("eventfd", null, errno(eventfdCapture));
      }
      this.wakeFd = created;
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
    this.buffer = arena.allocate(bufferBytes, 8);
  }

  int fd() {
    return fd;
  }

  /** Returns the buffer that {@link #read} fills. */
  MemorySegment buffer() {
    return buffer;
  }

  /**
   * Waits up to {@code timeoutMillis} (negative: without limit) for the descriptor to become
   * readable and reads what is queued into {@link #buffer}. Returns the number of bytes read, 0
   * after a timeout, a signal or {@link #wakeUp}.
   *
   * @throws PosixException if poll or read fails
   */
  long read(int timeoutMillis) throws PosixException {
    pollFds.set(INT, 0, fd);
    pollFds.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
    pollFds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
    pollFds.set(INT, 8, wakeFd);
    pollFds.set(ValueLayout.JAVA_SHORT, 12, POLLIN);
    pollFds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
    try {
      int ready = (int) POLL.invokeExact(capture, pollFds, 2L, timeoutMillis);
      if (ready < 0) {
        int errno = errno(capture);
        if (errno == Errno.EINTR) {
          return 0;
        }
        throw new PosixException("poll", null, errno);
      }
      if (pollFds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
        long unused = (long) READ.invokeExact(capture, wakeFd, buffer, 8L);
      }
      if (pollFds.get(ValueLayout.JAVA_SHORT, 6) == 0) {
        return 0;
      }
      long length = (long) READ.invokeExact(capture, fd, buffer, buffer.byteSize());
      if (length < 0) {
        int errno = errno(capture);
        if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
          return 0;
        }
        throw new PosixException("read(" + name + ")", null, errno);
      }
      return length;
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Makes a {@link #read} that is waiting, or the next one, return at once. */
  void wakeUp() {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment writeCapture = local.allocate(CAPTURE_LAYOUT);
      MemorySegment one = local.allocate(LONG);
      one.set(LONG, 0, 1L);
      long unused = (long) WRITE.invokeExact(writeCapture, wakeFd, one, 8L);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void close() {
    Posix.close(fd);
    Posix.close(wakeFd);
    arena.close();
  }

  // Restricted because a wrong descriptor can crash the JVM; each caller passes the glibc
  // prototype of its function.
  @SuppressWarnings("restricted")
  static MethodHandle bind(String name, FunctionDescriptor descriptor) {
    MemorySegment address =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name));
    return LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"));
  }

  static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  /** Rethrows a Throwable from invokeExact, which only ever throws unchecked ones here. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("native call failed", t);
  }
}
