package dev.telltale.alert;

import java.io.IOException;
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
import java.util.Map;

/**
 * A tty opened and configured through the C library with the foreign function API, so that no
 * {@code stty} is needed: raw mode (as {@code cfmakeraw}), the given speed, 8 data bits, no parity,
 * one stop bit, no flow control, and CLOCAL so that a cable without modem lines works.
 *
 * <p>The termios layout and constants are those of Linux with glibc on x86-64 and aarch64, which
 * share the asm-generic values used here.
 */
final class SerialPort implements AutoCloseable {
  /** Speeds that the port accepts, in bits per second, with their termios codes. */
  static final Map<Integer, Integer> SPEEDS =
      Map.ofEntries(
          Map.entry(1200, 0000011),
          Map.entry(2400, 0000013),
          Map.entry(4800, 0000014),
          Map.entry(9600, 0000015),
          Map.entry(19200, 0000016),
          Map.entry(38400, 0000017),
          Map.entry(57600, 0010001),
          Map.entry(115200, 0010002),
          Map.entry(230400, 0010003),
          Map.entry(460800, 0010004),
          Map.entry(921600, 0010007));

  private static final int O_RDWR = 02;
  private static final int O_NOCTTY = 0400;
  private static final int O_NONBLOCK = 04000;
  private static final int O_CLOEXEC = 02000000;
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;
  private static final int TCSANOW = 0;
  private static final int CSIZE = 0000060;
  private static final int CS8 = 0000060;
  private static final int CSTOPB = 0000100;
  private static final int CREAD = 0000200;
  private static final int PARENB = 0000400;
  private static final int CLOCAL = 0004000;
  private static final int CRTSCTS = 020000000000;
  private static final int VTIME = 5;
  private static final int VMIN = 6;
  private static final short POLLIN = 0x001;
  private static final short POLLERR = 0x008;
  private static final short POLLHUP = 0x010;
  private static final int EINTR = 4;
  private static final int EAGAIN = 11;

  // struct termios: four tcflag_t, c_line, c_cc[32], then c_ispeed and c_ospeed.
  private static final StructLayout TERMIOS =
      MemoryLayout.structLayout(
          ValueLayout.JAVA_INT.withName("c_iflag"),
          ValueLayout.JAVA_INT.withName("c_oflag"),
          ValueLayout.JAVA_INT.withName("c_cflag"),
          ValueLayout.JAVA_INT.withName("c_lflag"),
          ValueLayout.JAVA_BYTE.withName("c_line"),
          MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("c_cc"),
          MemoryLayout.paddingLayout(3),
          ValueLayout.JAVA_INT.withName("c_ispeed"),
          ValueLayout.JAVA_INT.withName("c_ospeed"));
  private static final long C_CFLAG_OFFSET =
      TERMIOS.byteOffset(MemoryLayout.PathElement.groupElement("c_cflag"));
  private static final long C_CC_OFFSET =
      TERMIOS.byteOffset(MemoryLayout.PathElement.groupElement("c_cc"));
  private static final StructLayout POLLFD =
      MemoryLayout.structLayout(
          ValueLayout.JAVA_INT.withName("fd"),
          ValueLayout.JAVA_SHORT.withName("events"),
          ValueLayout.JAVA_SHORT.withName("revents"));

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle OPEN =
      function(
          "open",
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE =
      function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle READ =
      function(
          "read",
          FunctionDescriptor.of(
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS,
              ValueLayout.JAVA_LONG));
  private static final MethodHandle WRITE =
      function(
          "write",
          FunctionDescriptor.of(
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS,
              ValueLayout.JAVA_LONG));
  private static final MethodHandle FCNTL =
      function(
          "fcntl",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT),
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle TCGETATTR =
      function(
          "tcgetattr",
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
  private static final MethodHandle TCSETATTR =
      function(
          "tcsetattr",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS));
  private static final MethodHandle CFMAKERAW =
      function("cfmakeraw", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
  private static final MethodHandle CFSETISPEED =
      function(
          "cfsetispeed",
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle CFSETOSPEED =
      function(
          "cfsetospeed",
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle TCDRAIN =
      function("tcdrain", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle POLL =
      function(
          "poll",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT));

  private static final MethodHandle STRERROR =
      function("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final int MAX_ERROR_TEXT_BYTES = 256;

  private final String path;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment callState = arena.allocate(CALL_STATE);
  private int fd;

  private SerialPort(String path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  @SuppressWarnings("restricted")
  private static MethodHandle function(
      String name, FunctionDescriptor descriptor, Linker.Option... options) {
    MemorySegment address =
        LINKER
            .defaultLookup()
            .find(name)
            .or(() -> SymbolLookup.loaderLookup().find(name))
            .orElseThrow(() -> new IllegalStateException("C library lacks " + name));
    Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
    all[options.length] = Linker.Option.captureCallState("errno");
    return LINKER.downcallHandle(address, descriptor, all);
  }

  /**
   * Opens a tty for reading and writing and configures it as described on the class.
   *
   * @throws IOException if the device cannot be opened, is not a tty, or rejects the settings
   */
  static SerialPort open(String path, int bitsPerSecond) throws IOException {
    Integer speed = SPEEDS.get(bitsPerSecond);
    if (speed == null) {
      throw new IOException(
          "unsupported speed " + bitsPerSecond + " (supported: " + SPEEDS.keySet() + ")");
    }
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment state = scratch.allocate(CALL_STATE);
      // O_NONBLOCK keeps open() from waiting for carrier detect before CLOCAL is set.
      int fd =
          (int)
              OPEN.invokeExact(
                  state, scratch.allocateFrom(path), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) {
        throw new IOException("cannot open " + path + ": " + describe(errno(state)));
      }
      SerialPort port = new SerialPort(path, fd);
      try {
        port.configure(speed);
      } catch (IOException | RuntimeException e) {
        port.close();
        throw e;
      }
      return port;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("foreign call failed", e);
    }
  }

  private void configure(int speed) throws Throwable {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment termios = scratch.allocate(TERMIOS);
      check((int) TCGETATTR.invokeExact(callState, fd, termios), "tcgetattr (not a tty?)");
      CFMAKERAW.invokeExact(callState, termios);
      int cflag = termios.get(ValueLayout.JAVA_INT, C_CFLAG_OFFSET);
      cflag &= ~(CSIZE | PARENB | CSTOPB | CRTSCTS);
      cflag |= CS8 | CREAD | CLOCAL;
      termios.set(ValueLayout.JAVA_INT, C_CFLAG_OFFSET, cflag);
      // read() returns as soon as one byte is there; poll() provides the timeout.
      termios.set(ValueLayout.JAVA_BYTE, C_CC_OFFSET + VMIN, (byte) 1);
      termios.set(ValueLayout.JAVA_BYTE, C_CC_OFFSET + VTIME, (byte) 0);
      check((int) CFSETISPEED.invokeExact(callState, termios, speed), "cfsetispeed");
      check((int) CFSETOSPEED.invokeExact(callState, termios, speed), "cfsetospeed");
      check((int) TCSETATTR.invokeExact(callState, fd, TCSANOW, termios), "tcsetattr");
      int flags = (int) FCNTL.invokeExact(callState, fd, F_GETFL, 0);
      check(flags, "fcntl F_GETFL");
      check((int) FCNTL.invokeExact(callState, fd, F_SETFL, flags & ~O_NONBLOCK), "fcntl F_SETFL");
    }
  }

  /** Writes all bytes and waits until the tty has sent them. */
  void write(byte[] bytes) throws IOException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment buffer = scratch.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
      long offset = 0;
      while (offset < bytes.length) {
        long written =
            (long)
                WRITE.invokeExact(
                    callState, fd, buffer.asSlice(offset), (long) bytes.length - offset);
        if (written < 0) {
          int errno = errno(callState);
          if (errno == EINTR || errno == EAGAIN) {
            continue;
          }
          throw new IOException("write to " + path + " failed: " + describe(errno));
        }
        offset += written;
      }
      check((int) TCDRAIN.invokeExact(callState, fd), "tcdrain");
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("foreign call failed", e);
    }
  }

  /**
   * Reads up to {@code buffer.length} bytes, waiting at most {@code timeoutMillis}.
   *
   * @return the number of bytes read, 0 if the time ran out, or -1 if the line hung up
   */
  int read(byte[] buffer, int timeoutMillis) throws IOException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment pollfd = scratch.allocate(POLLFD);
      pollfd.set(ValueLayout.JAVA_INT, 0, fd);
      pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
      int ready = (int) POLL.invokeExact(callState, pollfd, 1L, timeoutMillis);
      if (ready < 0) {
        if (errno(callState) == EINTR) {
          return 0;
        }
        throw new IOException("poll on " + path + " failed: " + describe(errno(callState)));
      }
      if (ready == 0) {
        return 0;
      }
      short events = pollfd.get(ValueLayout.JAVA_SHORT, 6);
      if ((events & POLLIN) == 0 && (events & (POLLHUP | POLLERR)) != 0) {
        return -1;
      }
      MemorySegment nativeBuffer = scratch.allocate(buffer.length);
      long count = (long) READ.invokeExact(callState, fd, nativeBuffer, (long) buffer.length);
      if (count < 0) {
        int errno = errno(callState);
        if (errno == EINTR || errno == EAGAIN) {
          return 0;
        }
        // A pty whose other side closed reports EIO; a real port reports it on hang-up.
        return -1;
      }
      if (count == 0) {
        return -1;
      }
      MemorySegment.copy(nativeBuffer, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) count);
      return (int) count;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("foreign call failed", e);
    }
  }

  private void check(int result, String call) throws IOException {
    if (result < 0) {
      throw new IOException(call + " on " + path + " failed: " + describe(errno(callState)));
    }
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** Returns the C library's text for an errno value, followed by the number. */
  @SuppressWarnings("restricted")
  private static String describe(int errno) {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment state = scratch.allocate(CALL_STATE);
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(state, errno);
      return text.reinterpret(MAX_ERROR_TEXT_BYTES).getString(0) + " (errno " + errno + ")";
    } catch (Throwable e) {
      return "errno " + errno;
    }
  }

  @Override
  public void close() {
    if (fd >= 0) {
      try {
        int ignored = (int) CLOSE.invokeExact(callState, fd);
      } catch (Throwable e) {
        throw new IllegalStateException("foreign call failed", e);
      }
      fd = -1;
      arena.close();
    }
  }
}
