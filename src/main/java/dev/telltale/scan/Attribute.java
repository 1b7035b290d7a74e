package dev.telltale.scan;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every attribute that telltale records and compares, declared once. Each has its name in the
 * policy (which is also its field in the baseline and its key in JSON reports), the label shown in
 * text reports, the field in Elastic Common Schema events, and the letter in the one-line summary.
 *
 * <p>Values are kept as canonical text, the same text the baseline stores, so two values are equal
 * exactly when their texts are equal. The format of each value is given on its constant and in
 * docs/formats.md.
 */
public enum Attribute {
  /** Entry type: file, dir, symlink, fifo, socket, chardev, blockdev. */
  TYPE("type", "type", "file.type", 'T'),
  /** Permission and set-id bits in four octal digits, such as {@code 0755}; no type bits. */
  MODE("mode", "mode", "file.mode", 'p'),
  /** Owner's numeric user id. */
  UID("uid", "uid", "file.uid", 'u'),
  /** Owner's numeric group id. */
  GID("gid", "gid", "file.gid", 'g'),
  /** Owner's user name from the scanned tree's /etc/passwd; absent when the uid has none. */
  USER("user", "user", "file.owner", 'U'),
  /** Owner's group name from the scanned tree's /etc/group; absent when the gid has none. */
  GROUP("group", "group", "file.group", 'G'),
  /** Size in bytes, decimal. */
  SIZE("size", "size", "file.size", 's'),
  /**
   * Modification time as statx gives it: signed whole seconds since the epoch, a dot, and the
   * nanoseconds in nine digits, which are never negative, so 1.5 s before the epoch is {@code
   * -2.500000000}.
   */
  MTIME("mtime", "mtime", "file.mtime", 'm'),
  /** Inode change time, in the same form as mtime. */
  CTIME("ctime", "ctime", "file.ctime", 'c'),
  /** Inode number, decimal. */
  INODE("inode", "inode", "file.inode", 'i'),
  /** Number of hard links, decimal. */
  NLINK("nlink", "links", "telltale.file.nlink", 'n'),
  /** Device of the file system that holds the entry, as {@code major:minor}. */
  DEV("dev", "device", "file.device", 'd'),
  /** Device number of a device node, as {@code major:minor}; absent for other types. */
  RDEV("rdev", "device number", "telltale.file.rdev", 'r'),
  /** Target of a symbolic link, escaped like a path; absent for other types. */
  TARGET("target", "link target", "file.target_path", 'l'),
  /** SHA-256 of a regular file's content, lower-case hex. */
  SHA256("sha256", "SHA-256", "file.hash.sha256", 'H'),
  /** SHA-512 of a regular file's content, lower-case hex. */
  SHA512("sha512", "SHA-512", "file.hash.sha512", 'h'),
  /**
   * Extended attributes other than those with an attribute of their own (ACLs, SELinux label,
   * capabilities): {@code name=base64} pairs sorted by name bytes, joined with commas, names
   * escaped like paths with {@code ,} and {@code =} escaped too; empty when there are none.
   */
  XATTRS("xattrs", "extended attributes", "telltale.file.xattrs", 'x'),
  /** POSIX ACL in the short text form of getfacl, access entries then {@code default:} ones. */
  ACL("acl", "ACL", "telltale.file.acl", 'a'),
  /** SELinux security context. */
  SELINUX("selinux", "SELinux context", "telltale.file.selinux", 'z'),
  /** File capabilities, such as {@code cap_net_raw=ep}; empty when there are none. */
  CAPS("caps", "capabilities", "telltale.file.capabilities", 'C'),
  /** Inode flags as lsattr names joined with commas, such as {@code immutable,extents}. */
  FLAGS("flags", "inode flags", "file.attributes", 'f');

  // A baseline names about ten attributes per entry; values() would copy the array for each.
  private static final Map<String, Attribute> BY_POLICY_NAME =
      Arrays.stream(values())
          .collect(
              Collectors.toUnmodifiableMap(
                  attribute -> attribute.policyName, attribute -> attribute));

  private final String policyName;
  private final String label;
  private final String ecsField;
  private final char letter;

  Attribute(String policyName, String label, String ecsField, char letter) {
    this.policyName = policyName;
    this.label = label;
    this.ecsField = ecsField;
    this.letter = letter;
  }

  /** Returns the name used in policies, as the baseline field, and as the JSON key. */
  public String policyName() {
    return policyName;
  }

  /** Returns the label for text reports. */
  public String label() {
    return label;
  }

  /** Returns the field name in NDJSON events (Elastic Common Schema where one exists). */
  public String ecsField() {
    return ecsField;
  }

  /** Returns the letter that marks a change of this attribute in one-line summaries. */
  public char letter() {
    return letter;
  }

  /** Returns true for the content digests, which only regular files have. */
  public boolean isDigest() {
    return this == SHA256 || this == SHA512;
  }

  /** Returns the attribute with the given policy name, or null. */
  public static Attribute fromPolicyName(String name) {
    return BY_POLICY_NAME.get(name);
  }

  // The padding is written by hand: String.format, called three times per scanned entry, was a
  // measurable share of a scan's CPU time, counting the compiler's work on java.util.Formatter.

  /** Returns the text form of {@link #MODE}: the permission bits as four octal digits. */
  public static String modeText(int mode) {
    return zeroPadded(Integer.toOctalString(mode & 07777), 4);
  }

  /** Returns the text form of {@link #MTIME} and {@link #CTIME}: {@code SECONDS.NNNNNNNNN}. */
  public static String timeText(long seconds, int nanos) {
    return seconds + "." + zeroPadded(Integer.toUnsignedString(nanos), 9);
  }

  private static String zeroPadded(String digits, int width) {
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  /** Returns all policy names, comma-separated, for error messages. */
  public static String knownNames() {
    List<String> names = Arrays.stream(values()).map(Attribute::policyName).toList();
    return names.stream().collect(Collectors.joining(", "));
  }
}
