package dev.telltale.scan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code security.capability} (struct vfs_cap_data, revisions 1 to 3) into text such as
 * {@code cap_net_admin,cap_net_raw=ep cap_sys_time=i}: capabilities with the same flags grouped,
 * groups in order of their lowest capability, flags in the order {@code e}, {@code i}, {@code p}. A
 * capability without a name in Linux 6.x is written as its number. A revision 3 value with a
 * non-zero root id (a capability set for a user namespace) gets {@code rootid=N} at the end.
 */
final class FileCapabilities {
  static final String XATTR = "security.capability";

  private static final String[] NAMES = {
    "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid",
    "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable",
    "cap_net_bind_service", "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock",
    "cap_ipc_owner", "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace",
    "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot", "cap_sys_nice", "cap_sys_resource",
    "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease", "cap_audit_write",
    "cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog",
    "cap_wake_alarm", "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf",
    "cap_checkpoint_restore"
  };

  private static final int REVISION_MASK = 0xFF000000;
  private static final int FLAG_EFFECTIVE = 0x000001;

  private FileCapabilities() {}

  /**
   * Returns the text form of a {@code security.capability} value; empty when it grants nothing.
   *
   * @throws AttributeDecodeException for an unknown revision or a length that does not match it
   */
  static String decode(byte[] value) throws AttributeDecodeException {
    if (value.length < 4) {
      throw new AttributeDecodeException("capability value of " + value.length + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    int magic = buffer.getInt();
    int revision = (magic & REVISION_MASK) >>> 24;
    int expectedBytes =
        switch (revision) {
          case 1 -> 12;
          case 2 -> 20;
          case 3 -> 24;
          default ->
              throw new AttributeDecodeException("capability revision " + revision + " is unknown");
        };
    if (value.length != expectedBytes) {
      throw new AttributeDecodeException(
          "capability revision "
              + revision
              + " has "
              + value.length
              + " bytes, expected "
              + expectedBytes);
    }
    long permitted = Integer.toUnsignedLong(buffer.getInt());
    long inheritable = Integer.toUnsignedLong(buffer.getInt());
    if (revision >= 2) {
      permitted |= Integer.toUnsignedLong(buffer.getInt()) << 32;
      inheritable |= Integer.toUnsignedLong(buffer.getInt()) << 32;
    }
    long rootId = revision == 3 ? Integer.toUnsignedLong(buffer.getInt()) : 0;
    boolean effective = (magic & FLAG_EFFECTIVE) != 0;
    String text = render(permitted, inheritable, effective);
    return rootId == 0 ? text : (text + " rootid=" + rootId).strip();
  }

  private static String render(long permitted, long inheritable, boolean effective) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (int bit = 0; bit < 64; bit++) {
      boolean p = (permitted >>> bit & 1) != 0;
      boolean i = (inheritable >>> bit & 1) != 0;
      if (!p && !i) {
        continue;
      }
      // In a file capability the effective flag is one bit that applies to every granted one.
      String flags = (effective ? "e" : "") + (i ? "i" : "") + (p ? "p" : "");
      String name = bit < NAMES.length ? NAMES[bit] : Integer.toString(bit);
      groups.computeIfAbsent(flags, unused -> new ArrayList<>()).add(name);
    }
    List<String> clauses = new ArrayList<>();
    for (Map.Entry<String, List<String>> group : groups.entrySet()) {
      clauses.add(String.join(",", group.getValue()) + "=" + group.getKey());
    }
    return String.join(" ", clauses);
  }
}
