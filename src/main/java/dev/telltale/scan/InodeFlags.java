package dev.telltale.scan;

import java.util.StringJoiner;

/**
 * Names of the inode flags that {@code FS_IOC_GETFLAGS} returns, the long names of {@code lsattr
 * -l} in lower case where lsattr has one. Bits without a name are written as hex, such as {@code
 * 0x8000000}.
 */
final class InodeFlags {
  private static final String[] NAMES = new String[32];

  static {
    NAMES[0] = "secure_deletion";
    NAMES[1] = "undelete";
    NAMES[2] = "compression_requested";
    NAMES[3] = "synchronous_updates";
    NAMES[4] = "immutable";
    NAMES[5] = "append_only";
    NAMES[6] = "no_dump";
    NAMES[7] = "no_atime";
    NAMES[8] = "compression_dirty";
    NAMES[9] = "compressed_clusters";
    NAMES[10] = "dont_compress";
    NAMES[11] = "encrypted";
    NAMES[12] = "indexed_directory";
    NAMES[13] = "imagic";
    NAMES[14] = "journaled_data";
    NAMES[15] = "no_tailmerging";
    NAMES[16] = "synchronous_directory_updates";
    NAMES[17] = "top_of_directory_hierarchies";
    NAMES[18] = "huge_file";
    NAMES[19] = "extents";
    NAMES[20] = "verity";
    NAMES[21] = "ea_inode";
    NAMES[22] = "eofblocks";
    NAMES[23] = "no_cow";
    NAMES[25] = "dax";
    NAMES[28] = "inline_data";
    NAMES[29] = "project_hierarchy";
    NAMES[30] = "casefold";
  }

  private InodeFlags() {}

  /** Returns the flag names joined with commas, lowest bit first; empty when no flag is set. */
  static String names(int flags) {
    StringJoiner text = new StringJoiner(",");
    for (int bit = 0; bit < 32; bit++) {
      if ((flags >>> bit & 1) == 0) {
        continue;
      }
      text.add(NAMES[bit] != null ? NAMES[bit] : "0x" + Integer.toHexString(1 << bit));
    }
    return text.toString();
  }
}
