package dev.telltale.scan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.StringJoiner;

/**
 * Decodes the kernel's binary POSIX ACL ({@code system.posix_acl_access} and {@code
 * system.posix_acl_default}) into the short text form of getfacl, with numeric ids: {@code
 * u::rw-,u:1000:r--,g::r--,m::r--,o::---}.
 */
final class PosixAcl {
  static final String ACCESS_XATTR = "system.posix_acl_access";
  static final String DEFAULT_XATTR = "system.posix_acl_default";

  private static final int VERSION = 2;
  private static final int HEADER_BYTES = 4;
  private static final int ENTRY_BYTES = 8;

  private PosixAcl() {}

  /**
   * Returns the text form of one binary ACL, each entry prefixed by {@code prefix}.
   *
   * @throws AttributeDecodeException for a wrong version, a length that is not whole entries, or an
   *     unknown tag
   */
  static String decode(byte[] value, String prefix) throws AttributeDecodeException {
    if (value.length < HEADER_BYTES || (value.length - HEADER_BYTES) % ENTRY_BYTES != 0) {
      throw new AttributeDecodeException(
          "ACL of " + value.length + " bytes is not a 4-byte header and 8-byte entries");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    int version = buffer.getInt();
    if (version != VERSION) {
      throw new AttributeDecodeException("ACL version " + version + " is not 2");
    }
    StringJoiner text = new StringJoiner(",");
    while (buffer.hasRemaining()) {
      int tag = Short.toUnsignedInt(buffer.getShort());
      int permissions = Short.toUnsignedInt(buffer.getShort());
      long id = Integer.toUnsignedLong(buffer.getInt());
      String qualifier =
          switch (tag) {
            case 0x01 -> "u::";
            case 0x02 -> "u:" + id + ":";
            case 0x04 -> "g::";
            case 0x08 -> "g:" + id + ":";
            case 0x10 -> "m::";
            case 0x20 -> "o::";
            default -> throw new AttributeDecodeException("ACL entry has unknown tag " + tag);
          };
      text.add(prefix + qualifier + permissionText(permissions));
    }
    return text.toString();
  }

  private static String permissionText(int permissions) {
    return ((permissions & 4) != 0 ? "r" : "-")
        + ((permissions & 2) != 0 ? "w" : "-")
        + ((permissions & 1) != 0 ? "x" : "-");
  }
}
