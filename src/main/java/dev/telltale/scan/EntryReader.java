package dev.telltale.scan;

import dev.telltale.posix.Errno;
import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import dev.telltale.posix.Statx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns what the kernel reports about one entry into attribute values in their canonical text. Each
 * method adds the values it could read and appends a message to {@code errors} for each it could
 * not.
 */
final class EntryReader {
  private static final Set<Attribute> XATTR_FAMILY =
      Set.of(Attribute.XATTRS, Attribute.ACL, Attribute.SELINUX, Attribute.CAPS);
  private static final String SELINUX_XATTR = "security.selinux";
  private static final Set<String> OWN_ATTRIBUTE_XATTRS =
      Set.of(PosixAcl.ACCESS_XATTR, PosixAcl.DEFAULT_XATTR, SELINUX_XATTR, FileCapabilities.XATTR);

  private final int rootFd;
  private NameTable users;
  private NameTable groups;

  EntryReader(int rootFd) {
    this.rootFd = rootFd;
  }

  /** Returns true when any requested attribute is read through extended attributes. */
  static boolean wantsXattrs(Set<Attribute> attributes) {
    for (Attribute attribute : attributes) {
      if (XATTR_FAMILY.contains(attribute)) {
        return true;
      }
    }
    return false;
  }

  void addStatValues(
      Statx stat, EntryType type, Set<Attribute> attributes, Map<Attribute, String> values) {
    for (Attribute attribute : attributes) {
      String value =
          switch (attribute) {
            case MODE -> Attribute.modeText(stat.mode());
            case UID -> Integer.toUnsignedString(stat.uid());
            case GID -> Integer.toUnsignedString(stat.gid());
            case USER -> users().nameOf(Integer.toUnsignedLong(stat.uid()));
            case GROUP -> groups().nameOf(Integer.toUnsignedLong(stat.gid()));
            case SIZE -> Long.toUnsignedString(stat.sizeBytes());
            case MTIME -> Attribute.timeText(stat.mtimeSeconds(), stat.mtimeNanos());
            case CTIME -> Attribute.timeText(stat.ctimeSeconds(), stat.ctimeNanos());
            case INODE -> Long.toUnsignedString(stat.inode());
            case NLINK -> Integer.toUnsignedString(stat.nlink());
            case DEV -> device(stat.devMajor(), stat.devMinor());
            case RDEV ->
                type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE
                    ? device(stat.rdevMajor(), stat.rdevMinor())
                    : null;
            default -> null;
          };
      if (value != null) {
        values.put(attribute, value);
      }
    }
  }

  private static String device(int major, int minor) {
    return Integer.toUnsignedString(major) + ":" + Integer.toUnsignedString(minor);
  }

  private synchronized NameTable users() {
    if (users == null) {
      users = NameTable.load(rootFd, "passwd");
    }
    return users;
  }

  private synchronized NameTable groups() {
    if (groups == null) {
      groups = NameTable.load(rootFd, "group");
    }
    return groups;
  }

  void addLinkTarget(int dirFd, byte[] name, Map<Attribute, String> values, List<String> errors) {
    try {
      values.put(Attribute.TARGET, PathEscape.escape(Posix.readlinkat(dirFd, name)));
    } catch (PosixException e) {
      errors.add(e.shortMessage());
    }
  }

  /** Source of extended attributes: an open descriptor, or a path that is never followed. */
  sealed interface XattrSource {
    List<byte[]> list() throws PosixException;

    byte[] get(byte[] name) throws PosixException;
  }

  record OpenFile(int fd) implements XattrSource {
    @Override
    public List<byte[]> list() throws PosixException {
      return Posix.flistxattr(fd);
    }

    @Override
    public byte[] get(byte[] name) throws PosixException {
      return Posix.fgetxattr(fd, name);
    }
  }

  /**
   * An entry that must not be opened (symlink, device, FIFO, socket), reached through the magic
   * link {@code /proc/self/fd/DIRFD} of its directory, so that no path is resolved from the root.
   */
  record UnopenedEntry(byte[] path) implements XattrSource {
    static UnopenedEntry of(int dirFd, byte[] name) {
      byte[] prefix = ("/proc/self/fd/" + dirFd + "/").getBytes(StandardCharsets.US_ASCII);
      byte[] path = Arrays.copyOf(prefix, prefix.length + name.length);
      System.arraycopy(name, 0, path, prefix.length, name.length);
      return new UnopenedEntry(path);
    }

    @Override
    public List<byte[]> list() throws PosixException {
      return Posix.llistxattr(path);
    }

    @Override
    public byte[] get(byte[] name) throws PosixException {
      return Posix.lgetxattr(path, name);
    }
  }

  void addXattrValues(
      XattrSource source,
      Set<Attribute> attributes,
      Map<Attribute, String> values,
      List<String> errors) {
    List<byte[]> names;
    try {
      names = source.list();
    } catch (PosixException e) {
      if (isUnsupported(e)) {
        names = List.of();
      } else {
        errors.add(e.shortMessage());
        return;
      }
    }
    try {
      if (attributes.contains(Attribute.XATTRS)) {
        values.put(Attribute.XATTRS, otherXattrs(source, names));
      }
      if (attributes.contains(Attribute.ACL)) {
        values.put(Attribute.ACL, acl(source, names));
      }
      if (attributes.contains(Attribute.SELINUX)) {
        byte[] label = getIfListed(source, names, SELINUX_XATTR);
        values.put(Attribute.SELINUX, label == null ? "" : PathEscape.escape(stripNul(label)));
      }
      if (attributes.contains(Attribute.CAPS)) {
        byte[] capability = getIfListed(source, names, FileCapabilities.XATTR);
        values.put(Attribute.CAPS, capability == null ? "" : FileCapabilities.decode(capability));
      }
    } catch (PosixException e) {
      errors.add(e.shortMessage());
    } catch (AttributeDecodeException e) {
      errors.add("invalid extended attribute: " + e.getMessage());
    }
  }

  private static String otherXattrs(XattrSource source, List<byte[]> names) throws PosixException {
    List<byte[]> sorted = new ArrayList<>(names);
    sorted.sort(Arrays::compareUnsigned);
    StringJoiner text = new StringJoiner(",");
    for (byte[] name : sorted) {
      if (OWN_ATTRIBUTE_XATTRS.contains(new String(name, StandardCharsets.ISO_8859_1))) {
        continue;
      }
      byte[] value = source.get(name);
      if (value == null) {
        // Removed between listing and reading: the next scan sees the new state.
        continue;
      }
      text.add(
          PathEscape.escape(name, 0, name.length, ",=")
              + "="
              + Base64.getEncoder().encodeToString(value));
    }
    return text.toString();
  }

  private static String acl(XattrSource source, List<byte[]> names)
      throws PosixException, AttributeDecodeException {
    byte[] access = getIfListed(source, names, PosixAcl.ACCESS_XATTR);
    byte[] defaults = getIfListed(source, names, PosixAcl.DEFAULT_XATTR);
    StringJoiner text = new StringJoiner(",");
    text.setEmptyValue("");
    if (access != null) {
      text.add(PosixAcl.decode(access, ""));
    }
    if (defaults != null) {
      text.add(PosixAcl.decode(defaults, "default:"));
    }
    return text.toString();
  }

  private static byte[] getIfListed(XattrSource source, List<byte[]> names, String name)
      throws PosixException {
    byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
    for (byte[] listed : names) {
      if (Arrays.equals(listed, wanted)) {
        return source.get(wanted);
      }
    }
    return null;
  }

  private static byte[] stripNul(byte[] value) {
    int length = value.length;
    while (length > 0 && value[length - 1] == 0) {
      length--;
    }
    return Arrays.copyOf(value, length);
  }

  /** Adds the inode flags of an open regular file or directory. */
  void addFlags(int fd, Map<Attribute, String> values, List<String> errors) {
    try {
      values.put(Attribute.FLAGS, InodeFlags.names(Posix.inodeFlags(fd)));
    } catch (PosixException e) {
      if (isUnsupported(e)) {
        values.put(Attribute.FLAGS, "");
      } else {
        errors.add(e.shortMessage());
      }
    }
  }

  private static boolean isUnsupported(PosixException e) {
    return e.errno() == Errno.ENOTTY || e.errno() == Errno.EOPNOTSUPP;
  }
}
