package dev.telltale.packages;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * File capabilities as three bit sets, read from the {@code security.capability} extended attribute
 * or parsed from the libcap text form that rpm stores in FILECAPS.
 *
 * @param permitted the permitted set
 * @param inheritable the inheritable set
 * @param effective the effective set
 */
record FileCapabilities(long permitted, long inheritable, long effective) {
  static final FileCapabilities NONE = new FileCapabilities(0, 0, 0);

  /** Capability names in number order, as in linux/capability.h. */
  private static final List<String> NAMES =
      List.of(
          "chown",
          "dac_override",
          "dac_read_search",
          "fowner",
          "fsetid",
          "kill",
          "setgid",
          "setuid",
          "setpcap",
          "linux_immutable",
          "net_bind_service",
          "net_broadcast",
          "net_admin",
          "net_raw",
          "ipc_lock",
          "ipc_owner",
          "sys_module",
          "sys_rawio",
          "sys_chroot",
          "sys_ptrace",
          "sys_pacct",
          "sys_admin",
          "sys_boot",
          "sys_nice",
          "sys_resource",
          "sys_time",
          "sys_tty_config",
          "mknod",
          "lease",
          "audit_write",
          "audit_control",
          "setfcap",
          "mac_override",
          "mac_admin",
          "syslog",
          "wake_alarm",
          "block_suspend",
          "audit_read",
          "perfmon",
          "bpf",
          "checkpoint_restore");

  private static final long ALL = (1L << NAMES.size()) - 1;
  private static final int ENODATA = 61;
  private static final MethodHandle LGETXATTR = lgetxattrHandle();

  // Binding lgetxattr is a restricted operation; its signature matches the C library's exactly.
  @SuppressWarnings("restricted")
  private static MethodHandle lgetxattrHandle() {
    Linker linker = Linker.nativeLinker();
    return linker.downcallHandle(
        linker.defaultLookup().find("lgetxattr").orElseThrow(),
        FunctionDescriptor.of(
            ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS,
            ValueLayout.ADDRESS,
            ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG),
        Linker.Option.captureCallState("errno"));
  }

  /**
   * Reads the capabilities of a file without following a final symlink.
   *
   * @throws IOException if the attribute cannot be read or is malformed
   */
  static FileCapabilities read(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      MemorySegment buffer = arena.allocate(64);
      long length;
      try {
        length =
            (long)
                LGETXATTR.invokeExact(
                    state,
                    arena.allocateFrom(file.toString()),
                    arena.allocateFrom("security.capability"),
                    buffer,
                    64L);
      } catch (Throwable e) {
        throw new IOException("lgetxattr failed on " + file, e);
      }
      if (length < 0) {
        int errno =
            state.get(
                ValueLayout.JAVA_INT,
                Linker.Option.captureStateLayout()
                    .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
        if (errno == ENODATA) {
          return NONE;
        }
        throw new IOException("cannot read capabilities of " + file + ": errno " + errno);
      }
      return decode(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), file);
    }
  }

  /** Decodes {@code struct vfs_cap_data} (little-endian, versions 1 to 3). */
  private static FileCapabilities decode(byte[] raw, Path file) throws IOException {
    if (raw.length < 12) {
      throw new IOException("capability attribute of " + file + " is " + raw.length + " bytes");
    }
    int magic = littleEndian(raw, 0);
    int version = magic & 0xFF000000;
    int words = version == 0x01000000 ? 1 : 2;
    if (version != 0x01000000 && version != 0x02000000 && version != 0x03000000
        || raw.length < 4 + 8 * words) {
      throw new IOException("capability attribute of " + file + " has unknown version " + magic);
    }
    long permitted = 0;
    long inheritable = 0;
    for (int word = 0; word < words; word++) {
      permitted |= (littleEndian(raw, 4 + 8 * word) & 0xFFFFFFFFL) << (32 * word);
      inheritable |= (littleEndian(raw, 8 + 8 * word) & 0xFFFFFFFFL) << (32 * word);
    }
    // One flag bit makes every permitted or inheritable capability effective.
    long effective = (magic & 1) != 0 ? permitted | inheritable : 0;
    return new FileCapabilities(permitted, inheritable, effective);
  }

  private static int littleEndian(byte[] raw, int at) {
    return (raw[at] & 0xFF)
        | (raw[at + 1] & 0xFF) << 8
        | (raw[at + 2] & 0xFF) << 16
        | (raw[at + 3] & 0xFF) << 24;
  }

  /**
   * Parses the libcap text form, such as {@code cap_net_raw=ep} or {@code cap_a,cap_b+ep}. Clauses
   * are separated by spaces; each is a list of names (empty or {@code all} for every capability)
   * followed by operators {@code =}, {@code +} or {@code -}, each with flag letters {@code e},
   * {@code i}, {@code p}.
   *
   * @throws IOException if a name or operator is unknown
   */
  static FileCapabilities parse(String text) throws IOException {
    long[] sets = new long[3];
    for (String clause : text.trim().split("\\s+")) {
      if (clause.isEmpty()) {
        continue;
      }
      int operator = indexOfOperator(clause);
      if (operator < 0) {
        throw new IOException("capability clause '" + clause + "' has no operator (=, + or -)");
      }
      long selected = names(clause.substring(0, operator));
      int at = operator;
      while (at < clause.length()) {
        char op = clause.charAt(at++);
        int flagsEnd = at;
        while (flagsEnd < clause.length() && "eip".indexOf(clause.charAt(flagsEnd)) >= 0) {
          flagsEnd++;
        }
        String flags = clause.substring(at, flagsEnd);
        if ("=+-".indexOf(op) < 0) {
          throw new IOException("capability clause '" + clause + "' has unknown operator " + op);
        }
        if (op == '=') {
          for (int set = 0; set < 3; set++) {
            sets[set] &= ~selected;
          }
        }
        for (char flag : flags.toCharArray()) {
          int set = flag == 'p' ? 0 : flag == 'i' ? 1 : 2;
          sets[set] = op == '-' ? sets[set] & ~selected : sets[set] | selected;
        }
        at = flagsEnd;
      }
    }
    return new FileCapabilities(sets[0], sets[1], sets[2]);
  }

  private static int indexOfOperator(String clause) {
    for (int i = 0; i < clause.length(); i++) {
      if ("=+-".indexOf(clause.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static long names(String list) throws IOException {
    if (list.isEmpty() || list.equalsIgnoreCase("all")) {
      return ALL;
    }
    long mask = 0;
    for (String name : list.split(",")) {
      String bare = name.toLowerCase(Locale.ROOT);
      bare = bare.startsWith("cap_") ? bare.substring(4) : bare;
      int index = NAMES.indexOf(bare);
      if (index < 0) {
        try {
          index = Integer.parseInt(bare);
        } catch (NumberFormatException e) {
          throw new IOException("unknown capability '" + name + "'", e);
        }
        if (index < 0 || index > 63) {
          throw new IOException("capability number " + index + " is outside 0..63");
        }
      }
      mask |= 1L << index;
    }
    return mask;
  }
}
