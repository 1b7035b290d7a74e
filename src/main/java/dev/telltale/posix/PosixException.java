package dev.telltale.posix;

import dev.telltale.scan.PathEscape;

/**
 * A failed Linux system call: the call, the path it was given (escaped, may be relative to a
 * directory descriptor) and the error number.
 */
public final class PosixException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String call;
  private final String path;

  /**
   * Creates the exception.
   *
   * @param call the system call, such as {@code openat}
   * @param pathBytes the path or name the call was given, or null
   * @param errno the error number the call set
   */
  public PosixException(String call, byte[] pathBytes, int errno) {
    super(
        call
            + (pathBytes == null ? "" : " '" + PathEscape.escape(pathBytes) + "'")
            + ": "
            + Errno.message(errno)
            + " ("
            + Errno.name(errno)
            + ")");
    this.errno = errno;
    this.call = call;
    this.path = pathBytes == null ? null : PathEscape.escape(pathBytes);
  }

  public int errno() {
    return errno;
  }

  /** Returns the symbolic name of the error, such as {@code EACCES}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  public String call() {
    return call;
  }

  /** Returns the escaped path the call was given, or null. */
  public String path() {
    return path;
  }

  /** Returns the call and the error without the path, such as {@code open: Permission denied}. */
  public String shortMessage() {
    return call + ": " + Errno.message(errno) + " (" + Errno.name(errno) + ")";
  }
}
