package dev.telltale.posix;

/**
 * Symbolic names and messages of Linux error numbers, as numbered on x86_64 and the other
 * architectures that use the generic table (not Alpha, MIPS, PA-RISC or SPARC).
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENODEV = 19;
  public static final int ENOTDIR = 20;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int ENOTTY = 25;
  public static final int ENOSPC = 28;
  public static final int ERANGE = 34;
  public static final int ENOSYS = 38;
  public static final int ELOOP = 40;
  public static final int ENODATA = 61;
  public static final int EOPNOTSUPP = 95;

  private static final String[][] TABLE = new String[134][];

  static {
    define(1, "EPERM", "Operation not permitted");
    define(2, "ENOENT", "No such file or directory");
    define(3, "ESRCH", "No such process");
    define(4, "EINTR", "Interrupted system call");
    define(5, "EIO", "Input/output error");
    define(6, "ENXIO", "No such device or address");
    define(7, "E2BIG", "Argument list too long");
    define(8, "ENOEXEC", "Exec format error");
    define(9, "EBADF", "Bad file descriptor");
    define(10, "ECHILD", "No child processes");
    define(11, "EAGAIN", "Resource temporarily unavailable");
    define(12, "ENOMEM", "Cannot allocate memory");
    define(13, "EACCES", "Permission denied");
    define(14, "EFAULT", "Bad address");
    define(15, "ENOTBLK", "Block device required");
    define(16, "EBUSY", "Device or resource busy");
    define(17, "EEXIST", "File exists");
    define(18, "EXDEV", "Invalid cross-device link");
    define(19, "ENODEV", "No such device");
    define(20, "ENOTDIR", "Not a directory");
    define(21, "EISDIR", "Is a directory");
    define(22, "EINVAL", "Invalid argument");
    define(23, "ENFILE", "Too many open files in system");
    define(24, "EMFILE", "Too many open files");
    define(25, "ENOTTY", "Inappropriate ioctl for device");
    define(26, "ETXTBSY", "Text file busy");
    define(27, "EFBIG", "File too large");
    define(28, "ENOSPC", "No space left on device");
    define(29, "ESPIPE", "Illegal seek");
    define(30, "EROFS", "Read-only file system");
    define(31, "EMLINK", "Too many links");
    define(32, "EPIPE", "Broken pipe");
    define(34, "ERANGE", "Numerical result out of range");
    define(35, "EDEADLK", "Resource deadlock avoided");
    define(36, "ENAMETOOLONG", "File name too long");
    define(38, "ENOSYS", "Function not implemented");
    define(39, "ENOTEMPTY", "Directory not empty");
    define(40, "ELOOP", "Too many levels of symbolic links");
    define(61, "ENODATA", "No data available");
    define(75, "EOVERFLOW", "Value too large for defined data type");
    define(95, "EOPNOTSUPP", "Operation not supported");
    define(110, "ETIMEDOUT", "Connection timed out");
    define(116, "ESTALE", "Stale file handle");
    define(117, "EUCLEAN", "Structure needs cleaning");
    define(121, "EREMOTEIO", "Remote I/O error");
    define(122, "EDQUOT", "Disk quota exceeded");
    define(125, "ECANCELED", "Operation canceled");
    define(126, "ENOKEY", "Required key not available");
    define(133, "EHWPOISON", "Memory page has hardware error");
  }

  private Errno() {}

  private static void define(int number, String name, String message) {
    TABLE[number] = new String[] {name, message};
  }

  /** Returns the symbolic name, such as {@code ENOENT}, or {@code errno N} for an unlisted one. */
  public static String name(int number) {
    if (number > 0 && number < TABLE.length && TABLE[number] != null) {
      return TABLE[number][0];
    }
    return "errno " + number;
  }

  /** Returns the message that glibc's strerror gives in the C locale, or "Unknown error N". */
  public static String message(int number) {
    if (number > 0 && number < TABLE.length && TABLE[number] != null) {
      return TABLE[number][1];
    }
    return "Unknown error " + number;
  }
}
