package dev.telltale.posix;

/**
 * The fields of {@code struct statx} that telltale records. Times are seconds since the epoch
 * (negative before 1970) plus nanoseconds in {@code [0, 999999999]}. Unsigned kernel values that
 * can exceed {@code Long.MAX_VALUE} (inode, size) are kept as the same 64 bits; print them with
 * {@link Long#toUnsignedString(long)}.
 */
public record Statx(
    int mode,
    int uid,
    int gid,
    int nlink,
    long inode,
    long sizeBytes,
    long mtimeSeconds,
    int mtimeNanos,
    long ctimeSeconds,
    int ctimeNanos,
    int devMajor,
    int devMinor,
    int rdevMajor,
    int rdevMinor) {

  /** Returns true when both describe the same inode on the same device. */
  public boolean sameInode(Statx other) {
    return inode == other.inode && devMajor == other.devMajor && devMinor == other.devMinor;
  }

  /** Returns true when both lie on the same device. */
  public boolean sameDevice(Statx other) {
    return devMajor == other.devMajor && devMinor == other.devMinor;
  }

  public int fileTypeBits() {
    return mode & 0170000;
  }
}
