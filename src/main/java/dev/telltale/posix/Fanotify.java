package dev.telltale.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A fanotify group (fanotify(7)) in notification mode that reports each event with the file handle
 * of the directory concerned and the entry's name ({@code FAN_REPORT_DFID_NAME}, Linux 5.9 or
 * later), on x86_64.
 *
 * <p>Events carry no path: the caller maps each directory handle to a path it recorded with {@link
 * #fileIdOf} when it placed its marks. Handles are never opened ({@code open_by_handle_at}), so an
 * event cannot lead the caller to a file it did not walk to itself. {@link #read} may run in one
 * thread while {@link #wakeUp} runs in another; everything else is for one thread.
 */
public final class Fanotify implements AutoCloseable {
  public static final long FAN_MODIFY = 0x2;
  public static final long FAN_ATTRIB = 0x4;
  public static final long FAN_CLOSE_WRITE = 0x8;
  public static final long FAN_MOVED_FROM = 0x40;
  public static final long FAN_MOVED_TO = 0x80;
  public static final long FAN_CREATE = 0x100;
  public static final long FAN_DELETE = 0x200;
  public static final long FAN_DELETE_SELF = 0x400;
  public static final long FAN_MOVE_SELF = 0x800;
  public static final long FAN_Q_OVERFLOW = 0x4000;
  public static final long FAN_EVENT_ON_CHILD = 0x08000000;
  public static final long FAN_ONDIR = 0x40000000;

  /** The events this class marks for: entry changes, content, attributes and moves. */
  public static final long EVENTS =
      FAN_CREATE
          | FAN_DELETE
          | FAN_MOVED_FROM
          | FAN_MOVED_TO
          | FAN_MODIFY
          | FAN_ATTRIB
          | FAN_CLOSE_WRITE
          | FAN_DELETE_SELF
          | FAN_MOVE_SELF
          | FAN_ONDIR;

  /** MAX_HANDLE_SZ of the kernel: the longest file handle any file system encodes. */
  static final int MAX_HANDLE_BYTES = 128;

  /** Size of {@code struct fanotify_event_metadata}. */
  static final int METADATA_BYTES = 24;

  static final int METADATA_VERSION = 3;
  static final int INFO_TYPE_FID = 1;
  static final int INFO_TYPE_DFID_NAME = 2;
  static final int INFO_TYPE_DFID = 3;

  /** Info header (4 bytes), fsid (8 bytes), handle_bytes and handle_type (4 bytes each). */
  private static final int FID_INFO_FIXED_BYTES = 20;

  private static final int FAN_CLOEXEC = 0x1;
  private static final int FAN_NONBLOCK = 0x2;
  private static final int FAN_CLASS_NOTIF = 0x0;
  private static final int FAN_REPORT_DIR_FID = 0x400;
  private static final int FAN_REPORT_NAME = 0x800;
  private static final int FAN_MARK_ADD = 0x1;
  private static final int FAN_MARK_ONLYDIR = 0x8;
  private static final int FAN_MARK_FILESYSTEM = 0x100;
  private static final int AT_HANDLE_FID = 0x200;
  private static final int STATFS_BYTES = 120;
  private static final int STATFS_FSID_OFFSET = 56;
  private static final int READ_BUFFER_BYTES = 65536;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout.OfLong UNALIGNED_LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfInt UNALIGNED_INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfShort UNALIGNED_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final ValueLayout POINTER = ValueLayout.ADDRESS;

  private static final MethodHandle FANOTIFY_INIT =
      NotificationQueue.bind("fanotify_init", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle FANOTIFY_MARK =
      NotificationQueue.bind(
          "fanotify_mark", FunctionDescriptor.of(INT, INT, INT, LONG, INT, POINTER));
  private static final MethodHandle NAME_TO_HANDLE_AT =
      NotificationQueue.bind(
          "name_to_handle_at", FunctionDescriptor.of(INT, INT, POINTER, POINTER, POINTER, INT));
  private static final MethodHandle FSTATFS =
      NotificationQueue.bind("fstatfs", FunctionDescriptor.of(INT, INT, POINTER));

  /**
   * The identity of a file as fanotify reports it: the file system id and the file handle. Two
   * instances are equal when all three parts are.
   *
   * @param fsid {@code f_fsid} of statfs(2), both words in memory order
   * @param handleType the file system's handle type
   * @param handle the handle bytes, at most {@value #MAX_HANDLE_BYTES}
   */
  public record FileId(long fsid, int handleType, byte[] handle) {
    public FileId {
      handle = handle.clone();
    }

    @Override
    public byte[] handle() {
      return handle.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof FileId id
          && id.fsid == fsid
          && id.handleType == handleType
          && Arrays.equals(id.handle, handle);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(fsid) * 31 * 31 + handleType * 31 + Arrays.hashCode(handle);
    }

    @Override
    public String toString() {
      return "FileId[fsid="
          + Long.toHexString(fsid)
          + ", type="
          + handleType
          + ", handle="
          + HexFormat.of().formatHex(handle)
          + "]";
    }
  }

  /**
   * One event.
   *
   * @param mask the event bits, such as {@link #FAN_CREATE} and {@link #FAN_ONDIR}
   * @param directory the directory the event concerns, null for a queue overflow
   * @param name the entry's name in that directory; empty or {@code .} when the event is on the
   *     directory itself
   */
  public record Event(long mask, FileId directory, byte[] name) {
    /** Returns true when any of the given bits is set. */
    public boolean has(long bits) {
      return (mask & bits) != 0;
    }

    @Override
    public String toString() {
      return "Event[mask=0x"
          + Long.toHexString(mask)
          + ", directory="
          + directory
          + ", name="
          + new String(name, StandardCharsets.UTF_8)
          + "]";
    }
  }

  private final NotificationQueue queue;

  private Fanotify(NotificationQueue queue) {
    this.queue = queue;
  }

  /**
   * Creates a fanotify group that reports directory handles and names. The kernel limits its queue
   * to {@code /proc/sys/fs/fanotify/max_queued_events} events (16384 by default) and then queues
   * one {@link #FAN_Q_OVERFLOW} event.
   *
   * @throws PosixException with EPERM when the caller lacks CAP_SYS_ADMIN and the kernel does not
   *     allow unprivileged groups (before Linux 5.13), EINVAL when the kernel does not know {@code
   *     FAN_REPORT_DFID_NAME} (before Linux 5.9), ENOSYS when it has no fanotify, EMFILE when
   *     {@code fs.fanotify.max_user_groups} is reached
   */
  public static Fanotify open() throws PosixException {
    int flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DIR_FID | FAN_REPORT_NAME;
    int fd;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment capture = local.allocate(NotificationQueue.CAPTURE_LAYOUT);
      fd = (int) FANOTIFY_INIT.invokeExact(capture, flags, Posix.O_RDONLY | Posix.O_CLOEXEC);
      if (fd < 0) {
        throw new PosixException("fanotify_init", null, NotificationQueue.errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw NotificationQueue.rethrow(t);
    }
    return new Fanotify(new NotificationQueue("fanotify", fd, READ_BUFFER_BYTES));
  }

  /**
   * Marks the whole file system that holds the file open as {@code fd} (not an O_PATH descriptor):
   * every event on it is reported. Marking a file system again is harmless.
   *
   * @throws PosixException with EPERM without CAP_SYS_ADMIN, ENODEV or EXDEV when the file system
   *     cannot report file handles (no fsid, or a btrfs subvolume other than the root)
   */
  public void markFilesystem(int fd) throws PosixException {
    mark("fanotify_mark(FAN_MARK_FILESYSTEM)", FAN_MARK_ADD | FAN_MARK_FILESYSTEM, EVENTS, fd);
  }

  /**
   * Marks the directory open as {@code fd} (not an O_PATH descriptor): events on it and on its
   * entries are reported, as inotify reports them for a watch.
   *
   * @throws PosixException with EACCES when the caller may not read the directory, ENOTDIR when it
   *     is no directory, ENOSPC when {@code fs.fanotify.max_user_marks} is reached
   */
  public void markDirectory(int fd) throws PosixException {
    mark(
        "fanotify_mark(FAN_MARK_INODE)",
        FAN_MARK_ADD | FAN_MARK_ONLYDIR,
        EVENTS | FAN_EVENT_ON_CHILD,
        fd);
  }

  private void mark(String call, int flags, long mask, int fd) throws PosixException {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment capture = local.allocate(NotificationQueue.CAPTURE_LAYOUT);
      int result =
          (int) FANOTIFY_MARK.invokeExact(capture, queue.fd(), flags, mask, fd, MemorySegment.NULL);
      if (result < 0) {
        throw new PosixException(call, null, NotificationQueue.errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw NotificationQueue.rethrow(t);
    }
  }

  /**
   * Returns the identity that fanotify reports for the file open as {@code fd}: {@code
   * name_to_handle_at(fd, "", AT_EMPTY_PATH | AT_HANDLE_FID)} and the fsid of {@code fstatfs}.
   * Before Linux 6.5, which lacks AT_HANDLE_FID, the handle is encoded without it, which gives the
   * same bytes on file systems that support NFS export.
   *
   * @throws PosixException with EOPNOTSUPP when the file system encodes no handles
   */
  public static FileId fileIdOf(int fd) throws PosixException {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment capture = local.allocate(NotificationQueue.CAPTURE_LAYOUT);
      MemorySegment statfs = local.allocate(STATFS_BYTES, 8);
      int result = (int) FSTATFS.invokeExact(capture, fd, statfs);
      if (result < 0) {
        throw new PosixException("fstatfs", null, NotificationQueue.errno(capture));
      }
      long fsid = statfs.get(LONG, STATFS_FSID_OFFSET);
      MemorySegment empty = local.allocate(1);
      MemorySegment handle = local.allocate(8L + MAX_HANDLE_BYTES, 4);
      MemorySegment mountId = local.allocate(INT);
      int flags = Posix.AT_EMPTY_PATH | AT_HANDLE_FID;
      while (true) {
        handle.set(INT, 0, MAX_HANDLE_BYTES);
        result = (int) NAME_TO_HANDLE_AT.invokeExact(capture, fd, empty, handle, mountId, flags);
        if (result == 0) {
          break;
        }
        int errno = NotificationQueue.errno(capture);
        if (errno == Errno.EINVAL && (flags & AT_HANDLE_FID) != 0) {
          flags &= ~AT_HANDLE_FID;
          continue;
        }
        throw new PosixException("name_to_handle_at", null, errno);
      }
      int handleBytes = handle.get(INT, 0);
      if (handleBytes < 0 || handleBytes > MAX_HANDLE_BYTES) {
        throw new PosixException("name_to_handle_at", null, Errno.EIO);
      }
      byte[] bytes = handle.asSlice(8, handleBytes).toArray(ValueLayout.JAVA_BYTE);
      return new FileId(fsid, handle.get(INT, 4), bytes);
    } catch (PosixException e) {
      throw e;
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

  /**
   * Parses {@code struct fanotify_event_metadata} records and their info records, checking every
   * length against the record that contains it.
   */
  static List<Event> parse(MemorySegment events, long length) throws PosixException {
    List<Event> parsed = new ArrayList<>();
    long offset = 0;
    while (offset < length) {
      if (length - offset < METADATA_BYTES) {
        throw malformed(offset, "truncated event metadata of " + (length - offset) + " bytes");
      }
      long eventBytes = Integer.toUnsignedLong(events.get(UNALIGNED_INT, offset));
      int version = Byte.toUnsignedInt(events.get(ValueLayout.JAVA_BYTE, offset + 4));
      int metadataBytes = Short.toUnsignedInt(events.get(UNALIGNED_SHORT, offset + 6));
      if (version != METADATA_VERSION) {
        throw malformed(offset, "metadata version " + version + ", expected " + METADATA_VERSION);
      }
      if (metadataBytes < METADATA_BYTES
          || eventBytes < metadataBytes
          || eventBytes > length - offset) {
        throw malformed(
            offset, "event length " + eventBytes + " with metadata length " + metadataBytes);
      }
      long mask = events.get(UNALIGNED_LONG, offset + 8);
      int fd = events.get(UNALIGNED_INT, offset + 16);
      if (fd >= 0) {
        // A group that reports file handles passes no descriptor (FAN_NOFD); close one regardless.
        Posix.close(fd);
      }
      parsed.add(parseInfo(events, offset, offset + metadataBytes, offset + eventBytes, mask));
      offset += eventBytes;
    }
    return parsed;
  }

  private static Event parseInfo(
      MemorySegment events, long eventOffset, long start, long end, long mask)
      throws PosixException {
    FileId directory = null;
    byte[] name = new byte[0];
    long info = start;
    while (info < end) {
      if (end - info < 4) {
        throw malformed(eventOffset, "truncated info header at offset " + info);
      }
      int type = Byte.toUnsignedInt(events.get(ValueLayout.JAVA_BYTE, info));
      int infoBytes = Short.toUnsignedInt(events.get(UNALIGNED_SHORT, info + 2));
      if (infoBytes < 4 || infoBytes > end - info) {
        throw malformed(eventOffset, "info record length " + infoBytes + " at offset " + info);
      }
      if (type == INFO_TYPE_DFID_NAME || type == INFO_TYPE_DFID) {
        if (infoBytes < FID_INFO_FIXED_BYTES) {
          throw malformed(eventOffset, "file id record of " + infoBytes + " bytes");
        }
        long fsid = events.get(UNALIGNED_LONG, info + 4);
        long handleBytes = Integer.toUnsignedLong(events.get(UNALIGNED_INT, info + 12));
        int handleType = events.get(UNALIGNED_INT, info + 16);
        long handleStart = info + FID_INFO_FIXED_BYTES;
        if (handleBytes > MAX_HANDLE_BYTES || handleBytes > info + infoBytes - handleStart) {
          throw malformed(eventOffset, "file handle of " + handleBytes + " bytes");
        }
        byte[] handle = events.asSlice(handleStart, handleBytes).toArray(ValueLayout.JAVA_BYTE);
        directory = new FileId(fsid, handleType, handle);
        if (type == INFO_TYPE_DFID_NAME) {
          name = parseName(events, eventOffset, handleStart + handleBytes, info + infoBytes);
        }
      }
      // Other record types (FID, PIDFD, ERROR, the rename pair) are not requested; skip them.
      info += infoBytes;
    }
    return new Event(mask, directory, name);
  }

  /** Reads the NUL-terminated name that must end before {@code end}. */
  private static byte[] parseName(MemorySegment events, long eventOffset, long start, long end)
      throws PosixException {
    long nul = start;
    while (nul < end && events.get(ValueLayout.JAVA_BYTE, nul) != 0) {
      nul++;
    }
    if (nul == end) {
      throw malformed(eventOffset, "name without terminating NUL");
    }
    return events.asSlice(start, nul - start).toArray(ValueLayout.JAVA_BYTE);
  }

  private static PosixException malformed(long offset, String detail) {
    return new PosixException(
        "read(fanotify): event at offset " + offset + ": " + detail, null, Errno.EIO);
  }

  /** Makes a {@link #read} that is waiting, or the next one, return at once. */
  public void wakeUp() {
    queue.wakeUp();
  }

  /** Closes the group, which removes all its marks. */
  @Override
  public synchronized void close() {
    queue.close();
  }
}
