package dev.telltale.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An inotify instance (inotify(7)) with an eventfd that wakes a blocked {@link #read} from another
 * thread.
 *
 * <p>Watches are placed through an open directory descriptor ({@code /proc/self/fd/N}), so the
 * watched inode is the one the caller opened without following symbolic links, not whatever a path
 * string resolves to later. {@link #read} and {@link #removeWatch} may run in one thread while
 * {@link #wakeUp} runs in another; everything else is for one thread.
 */
public final class Inotify implements AutoCloseable {
  public static final int IN_MODIFY = 0x2;
  public static final int IN_ATTRIB = 0x4;
  public static final int IN_CLOSE_WRITE = 0x8;
  public static final int IN_MOVED_FROM = 0x40;
  public static final int IN_MOVED_TO = 0x80;
  public static final int IN_CREATE = 0x100;
  public static final int IN_DELETE = 0x200;
  public static final int IN_DELETE_SELF = 0x400;
  public static final int IN_MOVE_SELF = 0x800;
  public static final int IN_UNMOUNT = 0x2000;
  public static final int IN_Q_OVERFLOW = 0x4000;
  public static final int IN_IGNORED = 0x8000;
  public static final int IN_ONLYDIR = 0x01000000;
  public static final int IN_EXCL_UNLINK = 0x04000000;
  public static final int IN_ISDIR = 0x40000000;

  /** Size of the fixed part of {@code struct inotify_event}: wd, mask, cookie, len. */
  static final int EVENT_HEADER_BYTES = 16;

  /** Longest name an event carries: NAME_MAX plus NUL padding to the next 16 bytes. */
  static final int MAX_NAME_FIELD_BYTES = 272;

  private static final int IN_CLOEXEC = 02000000;
  private static final int IN_NONBLOCK = 04000;
  private static final int READ_BUFFER_BYTES = 65536;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout POINTER = ValueLayout.ADDRESS;

  private static final MethodHandle INOTIFY_INIT1 =
      NotificationQueue.bind("inotify_init1", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle INOTIFY_ADD_WATCH =
      NotificationQueue.bind("inotify_add_watch", FunctionDescriptor.of(INT, INT, POINTER, INT));
  private static final MethodHandle INOTIFY_RM_WATCH =
      NotificationQueue.bind("inotify_rm_watch", FunctionDescriptor.of(INT, INT, INT));

  /**
   * One event.
   *
   * @param watch the watch descriptor, -1 for a queue overflow
   * @param mask the event bits, such as {@link #IN_CREATE} and {@link #IN_ISDIR}
   * @param cookie the number that pairs an {@link #IN_MOVED_FROM} with its {@link #IN_MOVED_TO}
   * @param name the child's name, empty for an event on the watched directory itself
   */
  public record Event(int watch, int mask, int cookie, byte[] name) {
    /** Returns true when any of the given bits is set. */
    public boolean has(int bits) {
      return (mask & bits) != 0;
    }

    @Override
    public String toString() {
      return "Event[watch="
          + watch
          + ", mask=0x"
          + Integer.toHexString(mask)
          + ", name="
          + new String(name, StandardCharsets.UTF_8)
          + "]";
    }
  }

  private final NotificationQueue queue;

  private Inotify(NotificationQueue queue) {
    this.queue = queue;
  }

  /**
   * Creates an inotify instance. The kernel sizes its event queue from {@code
   * /proc/sys/fs/inotify/max_queued_events} at this moment.
   *
   * @throws PosixException with EMFILE when {@code fs.inotify.max_user_instances} is reached
   */
  public static Inotify open() throws PosixException {
    int fd;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment capture = local.allocate(NotificationQueue.CAPTURE_LAYOUT);
      fd = (int) INOTIFY_INIT1.invokeExact(capture, IN_CLOEXEC | IN_NONBLOCK);
      if (fd < 0) {
        throw new PosixException("inotify_init1", null, NotificationQueue.errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw NotificationQueue.rethrow(t);
    }
    return new Inotify(new NotificationQueue("inotify", fd, READ_BUFFER_BYTES));
  }

  /**
   * Watches the directory open as {@code directoryFd} (any descriptor, O_PATH is enough) for the
   * given events and returns the watch descriptor. Watching an inode that is already watched
   * returns its existing descriptor with the mask replaced.
   *
   * @throws PosixException with ENOSPC when {@code fs.inotify.max_user_watches} is reached, EACCES
   *     when the caller may not read the directory, ENOTDIR when it is no directory
   */
  public int addWatch(int directoryFd, int mask) throws PosixException {
    byte[] path = ("/proc/self/fd/" + directoryFd).getBytes(StandardCharsets.US_ASCII);
    try (Arena local = Arena.ofConfined()) {
      MemorySegment capture = local.allocate(NotificationQueue.CAPTURE_LAYOUT);
      MemorySegment pathSegment = local.allocate(path.length + 1L);
      MemorySegment.copy(path, 0, pathSegment, ValueLayout.JAVA_BYTE, 0, path.length);
      int watch =
          (int) INOTIFY_ADD_WATCH.invokeExact(capture, queue.fd(), pathSegment, mask | IN_ONLYDIR);
      if (watch < 0) {
        throw new PosixException("inotify_add_watch", null, NotificationQueue.errno(capture));
      }
      return watch;
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw NotificationQueue.rethrow(t);
    }
  }

  /**
   * Removes a watch. The kernel then queues an {@link #IN_IGNORED} event for it. A watch that is
   * already gone (EINVAL) is not an error.
   */
  public void removeWatch(int watch) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment capture = local.allocate(NotificationQueue.CAPTURE_LAYOUT);
      int unused = (int) INOTIFY_RM_WATCH.invokeExact(capture, queue.fd(), watch);
    } catch (Throwable t) {
      throw NotificationQueue.rethrow(t);
    }
  }

  /**
   * Waits up to {@code timeoutMillis} (negative: without limit) for events and returns those that
   * are queued; an empty list after a timeout, a signal or {@link #wakeUp}.
   *
   * @throws PosixException if poll or read fails, or the kernel returns a malformed event (EIO)
   */
  public synchronized List<Event> read(int timeoutMillis) throws PosixException {
    long length = queue.read(timeoutMillis);
    return length == 0 ? List.of() : parse(queue.buffer(), length);
  }

  /** Parses {@code struct inotify_event} records, checking each length against the buffer. */
  static List<Event> parse(MemorySegment events, long length) throws PosixException {
    List<Event> parsed = new ArrayList<>();
    long offset = 0;
    while (offset < length) {
      if (length - offset < EVENT_HEADER_BYTES) {
        throw new PosixException("read(inotify): truncated event header", null, Errno.EIO);
      }
      int watch = events.get(INT, offset);
      int mask = events.get(INT, offset + 4);
      int cookie = events.get(INT, offset + 8);
      int nameField = events.get(INT, offset + 12);
      long nameStart = offset + EVENT_HEADER_BYTES;
      if (nameField < 0 || nameField > MAX_NAME_FIELD_BYTES || nameStart + nameField > length) {
        throw new PosixException(
            "read(inotify): event name field of " + nameField + " bytes", null, Errno.EIO);
      }
      long nameEnd = nameStart;
      while (nameEnd < nameStart + nameField && events.get(ValueLayout.JAVA_BYTE, nameEnd) != 0) {
        nameEnd++;
      }
      byte[] name = events.asSlice(nameStart, nameEnd - nameStart).toArray(ValueLayout.JAVA_BYTE);
      parsed.add(new Event(watch, mask, cookie, name));
      offset = nameStart + nameField;
    }
    return parsed;
  }

  /** Makes a {@link #read} that is waiting, or the next one, return at once. */
  public void wakeUp() {
    queue.wakeUp();
  }

  /** Closes the instance, which removes all its watches. */
  @Override
  public synchronized void close() {
    queue.close();
  }
}
