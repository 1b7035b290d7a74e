package dev.telltale.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linux system calls through the foreign function API, each reporting failure as a {@link
 * PosixException} with the errno the call set.
 *
 * <p>Only x86_64 Linux with glibc 2.30 or later is supported: the flag values, the {@code ioctl}
 * request number and the errno numbers below are those of x86_64, and {@code getdents64} and {@code
 * statx} need glibc wrappers. Other architectures would need their own constants.
 *
 * <p>Names and paths are raw bytes and must not contain NUL; a name with NUL fails with EINVAL
 * before any call is made.
 */
public final class Posix {
  public static final int AT_FDCWD = -100;
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 01;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_NONBLOCK = 04000;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_NOATIME = 01000000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int AT_REMOVEDIR = 0x200;
  public static final int AT_NO_AUTOMOUNT = 0x800;
  public static final int AT_EMPTY_PATH = 0x1000;
  public static final int S_IFIFO = 0010000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFSOCK = 0140000;

  /** Largest extended attribute value and name list that Linux allows (XATTR_SIZE_MAX). */
  public static final int MAX_XATTR_BYTES = 65536;

  /** Longest symbolic link target read; Linux itself stops at PATH_MAX - 1 = 4095 bytes. */
  public static final int MAX_LINK_TARGET_BYTES = 65536;

  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final long FS_IOC_GETFLAGS = 0x80086601L;
  private static final int STATX_BYTES = 256;
  private static final int DIRENT_BUFFER_BYTES = 32768;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout POINTER = ValueLayout.ADDRESS;

  private static final MethodHandle OPENAT =
      bind(
          "openat",
          FunctionDescriptor.of(INT, INT, POINTER, INT, INT),
          Linker.Option.firstVariadicArg(3));
  private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle STATX =
      bind("statx", FunctionDescriptor.of(INT, INT, POINTER, INT, INT, POINTER));
  private static final MethodHandle GETDENTS64 =
      bind("getdents64", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
  // critical(true) lets read() write straight into a Java byte[] without a copy.
  private static final MethodHandle READ =
      bind("read", FunctionDescriptor.of(LONG, INT, POINTER, LONG), Linker.Option.critical(true));
  private static final MethodHandle READLINKAT =
      bind("readlinkat", FunctionDescriptor.of(LONG, INT, POINTER, POINTER, LONG));
  private static final MethodHandle FLISTXATTR =
      bind("flistxattr", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
  private static final MethodHandle FGETXATTR =
      bind("fgetxattr", FunctionDescriptor.of(LONG, INT, POINTER, POINTER, LONG));
  private static final MethodHandle LLISTXATTR =
      bind("llistxattr", FunctionDescriptor.of(LONG, POINTER, POINTER, LONG));
  private static final MethodHandle LGETXATTR =
      bind("lgetxattr", FunctionDescriptor.of(LONG, POINTER, POINTER, POINTER, LONG));
  private static final MethodHandle IOCTL =
      bind(
          "ioctl",
          FunctionDescriptor.of(INT, INT, LONG, POINTER),
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle MKDIRAT =
      bind("mkdirat", FunctionDescriptor.of(INT, INT, POINTER, INT));
  private static final MethodHandle MKNODAT =
      bind("mknodat", FunctionDescriptor.of(INT, INT, POINTER, INT, LONG));
  private static final MethodHandle SYMLINKAT =
      bind("symlinkat", FunctionDescriptor.of(INT, POINTER, INT, POINTER));
  private static final MethodHandle UNLINKAT =
      bind("unlinkat", FunctionDescriptor.of(INT, INT, POINTER, INT));

  /**
   * Native buffers reused by the calls that run once or more per scanned entry (openat, close,
   * statx, read). Allocating and freeing them on every call cost a measurable share of a scan.
   * Memory is released when the owning thread's buffers become unreachable.
   */
  private static final class Scratch {
    static final int PATH_BYTES = 4096;

    final MemorySegment capture;
    final MemorySegment statx;
    final MemorySegment path;

    Scratch() {
      Arena arena = Arena.ofAuto();
      capture = arena.allocate(CAPTURE_LAYOUT);
      statx = arena.allocate(STATX_BYTES, 8);
      path = arena.allocate(PATH_BYTES);
    }

    /** Returns {@code bytes} as a C string, in the reused buffer when it fits. */
    MemorySegment cString(String call, byte[] bytes) throws PosixException {
      if (bytes.length >= PATH_BYTES) {
        return Posix.cString(Arena.ofAuto(), call, bytes);
      }
      return Posix.cString(path, call, bytes);
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Posix() {}

  // Restricted because a wrong descriptor can crash the JVM; each one above follows the glibc
  // prototype of its function. The launcher and the tests enable native access.
  @SuppressWarnings("restricted")
  private static MethodHandle bind(
      String name, FunctionDescriptor descriptor, Linker.Option... options) {
    MemorySegment address =
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name));
    Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
    all[options.length] = CAPTURE_ERRNO;
    return LINKER.downcallHandle(address, descriptor, all);
  }

  private static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  private static MemorySegment cString(Arena arena, String call, byte[] bytes)
      throws PosixException {
    return cString(arena.allocate(bytes.length + 1L), call, bytes);
  }

  private static MemorySegment cString(MemorySegment segment, String call, byte[] bytes)
      throws PosixException {
    for (byte b : bytes) {
      if (b == 0) {
        throw new PosixException(call, bytes, Errno.EINVAL);
      }
    }
    MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
    segment.set(ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
    return segment;
  }

  /** Rethrows a Throwable from invokeExact, which only ever throws unchecked ones here. */
  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("native call failed", t);
  }

  /**
   * Opens {@code name} relative to {@code dirFd} and returns the new descriptor.
   *
   * @throws PosixException with the errno of {@code openat}
   */
  public static int openat(int dirFd, byte[] name, int flags, int mode) throws PosixException {
    Scratch scratch = SCRATCH.get();
    MemorySegment capture = scratch.capture;
    MemorySegment path = scratch.cString("openat", name);
    try {
      while (true) {
        int fd = (int) OPENAT.invokeExact(capture, dirFd, path, flags, mode);
        if (fd >= 0) {
          return fd;
        }
        int errno = errno(capture);
        if (errno != Errno.EINTR) {
          throw new PosixException("openat", name, errno);
        }
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Opens for reading with O_NOATIME first, so that a scan leaves access times alone, and without
   * it when the kernel rejects it with EPERM (O_NOATIME needs file ownership or CAP_FOWNER).
   */
  public static int openatNoAtime(int dirFd, byte[] name, int flags) throws PosixException {
    try {
      return openat(dirFd, name, flags | O_NOATIME, 0);
    } catch (PosixException e) {
      if (e.errno() != Errno.EPERM) {
        throw e;
      }
      return openat(dirFd, name, flags, 0);
    }
  }

  /**
   * Closes a descriptor. Errors are ignored: Linux releases the descriptor even when close fails.
   */
  public static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      int unused = (int) CLOSE.invokeExact(SCRATCH.get().capture, fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Returns the status of {@code name} relative to {@code dirFd}, never following a final symbolic
   * link and never triggering an automount.
   */
  public static Statx lstatAt(int dirFd, byte[] name) throws PosixException {
    return statx(dirFd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, "statx");
  }

  /** Returns the status of an open descriptor (statx with AT_EMPTY_PATH). */
  public static Statx fstat(int fd) throws PosixException {
    return statx(fd, new byte[0], AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, "fstat");
  }

  private static Statx statx(int dirFd, byte[] name, int flags, String call) throws PosixException {
    Scratch scratch = SCRATCH.get();
    MemorySegment capture = scratch.capture;
    MemorySegment path = scratch.cString(call, name);
    MemorySegment buffer = scratch.statx;
    try {
      int result = (int) STATX.invokeExact(capture, dirFd, path, flags, STATX_BASIC_STATS, buffer);
      if (result != 0) {
        throw new PosixException(call, name.length == 0 ? null : name, errno(capture));
      }
      return parseStatx(buffer);
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  // Offsets in struct statx, from linux/stat.h; the layout is the same on every architecture.
  private static Statx parseStatx(MemorySegment b) {
    return new Statx(
        Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 28)),
        b.get(INT, 20),
        b.get(INT, 24),
        b.get(INT, 16),
        b.get(LONG, 32),
        b.get(LONG, 40),
        b.get(LONG, 112),
        b.get(INT, 120),
        b.get(LONG, 96),
        b.get(INT, 104),
        b.get(INT, 136),
        b.get(INT, 140),
        b.get(INT, 128),
        b.get(INT, 132));
  }

  /**
   * Reads every name in an open directory except {@code .} and {@code ..}, in the order the file
   * system returns them. Memory grows with the number of names in this one directory.
   */
  public static List<byte[]> readDirectory(int dirFd) throws PosixException {
    List<byte[]> names = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      MemorySegment buffer = arena.allocate(DIRENT_BUFFER_BYTES, 8);
      while (true) {
        long length =
            (long) GETDENTS64.invokeExact(capture, dirFd, buffer, (long) DIRENT_BUFFER_BYTES);
        if (length < 0) {
          int errno = errno(capture);
          if (errno == Errno.EINTR) {
            continue;
          }
          throw new PosixException("getdents64", null, errno);
        }
        if (length == 0) {
          return names;
        }
        parseDirents(buffer, length, names);
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
  private static void parseDirents(MemorySegment buffer, long length, List<byte[]> names)
      throws PosixException {
    long offset = 0;
    while (offset < length) {
      int recordLength = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT, offset + 16));
      if (recordLength < 20 || offset + recordLength > length) {
        throw new PosixException("getdents64", null, 5);
      }
      long nameStart = offset + 19;
      long nameEnd = nameStart;
      while (nameEnd < offset + recordLength && buffer.get(ValueLayout.JAVA_BYTE, nameEnd) != 0) {
        nameEnd++;
      }
      byte[] name = buffer.asSlice(nameStart, nameEnd - nameStart).toArray(ValueLayout.JAVA_BYTE);
      boolean dot = name.length == 1 && name[0] == '.';
      boolean dotDot = name.length == 2 && name[0] == '.' && name[1] == '.';
      if (!dot && !dotDot) {
        names.add(name);
      }
      offset += recordLength;
    }
  }

  /**
   * Reads up to {@code length} bytes into {@code buffer} at {@code offset} and returns the count, 0
   * at end of file.
   */
  public static int read(int fd, byte[] buffer, int offset, int length) throws PosixException {
    MemorySegment target = MemorySegment.ofArray(buffer).asSlice(offset, length);
    MemorySegment capture = SCRATCH.get().capture;
    try {
      while (true) {
        long count = (long) READ.invokeExact(capture, fd, target, (long) length);
        if (count >= 0) {
          return (int) count;
        }
        int errno = errno(capture);
        if (errno != Errno.EINTR) {
          throw new PosixException("read", null, errno);
        }
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Returns the target bytes of the symbolic link {@code name} relative to {@code dirFd}. */
  public static byte[] readlinkat(int dirFd, byte[] name) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      MemorySegment path = cString(arena, "readlinkat", name);
      for (long size = 4096; size <= MAX_LINK_TARGET_BYTES; size *= 2) {
        MemorySegment buffer = arena.allocate(size);
        long count = (long) READLINKAT.invokeExact(capture, dirFd, path, buffer, size);
        if (count < 0) {
          throw new PosixException("readlinkat", name, errno(capture));
        }
        // A full buffer may mean the target was cut: retry with a larger one.
        if (count < size) {
          return buffer.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE);
        }
      }
      throw new PosixException("readlinkat", name, Errno.ERANGE);
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Returns the names of the extended attributes of an open descriptor. */
  public static List<byte[]> flistxattr(int fd) throws PosixException {
    return listXattrs("flistxattr", fd, null);
  }

  /**
   * Returns the names of the extended attributes of {@code path} itself, never of the target of a
   * symbolic link.
   */
  public static List<byte[]> llistxattr(byte[] path) throws PosixException {
    return listXattrs("llistxattr", -1, path);
  }

  /** Returns the value of an extended attribute of an open descriptor, or null when absent. */
  public static byte[] fgetxattr(int fd, byte[] name) throws PosixException {
    return getXattr("fgetxattr", fd, null, name);
  }

  /** Returns the value of an extended attribute of {@code path} itself, or null when absent. */
  public static byte[] lgetxattr(byte[] path, byte[] name) throws PosixException {
    return getXattr("lgetxattr", -1, path, name);
  }

  private static List<byte[]> listXattrs(String call, int fd, byte[] path) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      MemorySegment pathSegment = path == null ? MemorySegment.NULL : cString(arena, call, path);
      MemorySegment buffer = arena.allocate(MAX_XATTR_BYTES);
      long length =
          path == null
              ? (long) FLISTXATTR.invokeExact(capture, fd, buffer, (long) MAX_XATTR_BYTES)
              : (long) LLISTXATTR.invokeExact(capture, pathSegment, buffer, (long) MAX_XATTR_BYTES);
      if (length < 0) {
        throw new PosixException(call, path, errno(capture));
      }
      List<byte[]> names = new ArrayList<>();
      long start = 0;
      for (long i = 0; i < length; i++) {
        if (buffer.get(ValueLayout.JAVA_BYTE, i) == 0) {
          if (i > start) {
            names.add(buffer.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE));
          }
          start = i + 1;
        }
      }
      return names;
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static byte[] getXattr(String call, int fd, byte[] path, byte[] name)
      throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      MemorySegment pathSegment = path == null ? MemorySegment.NULL : cString(arena, call, path);
      MemorySegment nameSegment = cString(arena, call, name);
      MemorySegment buffer = arena.allocate(MAX_XATTR_BYTES);
      long length =
          path == null
              ? (long)
                  FGETXATTR.invokeExact(capture, fd, nameSegment, buffer, (long) MAX_XATTR_BYTES)
              : (long)
                  LGETXATTR.invokeExact(
                      capture, pathSegment, nameSegment, buffer, (long) MAX_XATTR_BYTES);
      if (length < 0) {
        int errno = errno(capture);
        if (errno == Errno.ENODATA) {
          return null;
        }
        throw new PosixException(call, path == null ? name : path, errno);
      }
      return buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Returns the inode flags of an open regular file or directory (ioctl FS_IOC_GETFLAGS).
   *
   * @throws PosixException with ENOTTY or EOPNOTSUPP where the file system has no such flags
   */
  public static int inodeFlags(int fd) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      // The kernel writes an int although the request number encodes a long; 8 bytes cover both.
      MemorySegment flags = arena.allocate(8, 8);
      int result = (int) IOCTL.invokeExact(capture, fd, FS_IOC_GETFLAGS, flags);
      if (result != 0) {
        throw new PosixException("ioctl(FS_IOC_GETFLAGS)", null, errno(capture));
      }
      return flags.get(INT, 0);
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Creates a directory {@code name} relative to {@code dirFd}. */
  public static void mkdirat(int dirFd, byte[] name, int mode) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      int result = (int) MKDIRAT.invokeExact(capture, dirFd, cString(arena, "mkdirat", name), mode);
      if (result != 0) {
        throw new PosixException("mkdirat", name, errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Creates a special file: a FIFO, a socket inode, or (with CAP_MKNOD) a device node.
   *
   * @param mode type bits ({@link #S_IFIFO}, {@link #S_IFSOCK}, {@link #S_IFCHR}) and permissions
   * @param device the device number in glibc's makedev encoding, 0 for FIFOs and sockets
   */
  public static void mknodat(int dirFd, byte[] name, int mode, long device) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      MemorySegment path = cString(arena, "mknodat", name);
      int result = (int) MKNODAT.invokeExact(capture, dirFd, path, mode, device);
      if (result != 0) {
        throw new PosixException("mknodat", name, errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Returns the device number for major and minor in glibc's {@code makedev} encoding. */
  public static long makedev(int major, int minor) {
    long majorBits = Integer.toUnsignedLong(major);
    long minorBits = Integer.toUnsignedLong(minor);
    return (majorBits & 0xfffL) << 8
        | (majorBits & 0xfffff000L) << 32
        | (minorBits & 0xffL)
        | (minorBits & 0xffffff00L) << 12;
  }

  /**
   * Creates a symbolic link {@code name} relative to {@code dirFd} that points to {@code target}.
   */
  public static void symlinkat(byte[] target, int dirFd, byte[] name) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      MemorySegment targetSegment = cString(arena, "symlinkat", target);
      MemorySegment nameSegment = cString(arena, "symlinkat", name);
      int result = (int) SYMLINKAT.invokeExact(capture, targetSegment, dirFd, nameSegment);
      if (result != 0) {
        throw new PosixException("symlinkat", name, errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Removes a name, or an empty directory when {@code flags} has {@link #AT_REMOVEDIR}. */
  public static void unlinkat(int dirFd, byte[] name, int flags) throws PosixException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
      int result =
          (int) UNLINKAT.invokeExact(capture, dirFd, cString(arena, "unlinkat", name), flags);
      if (result != 0) {
        throw new PosixException("unlinkat", name, errno(capture));
      }
    } catch (PosixException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }
}
