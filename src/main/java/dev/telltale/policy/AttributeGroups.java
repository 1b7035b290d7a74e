package dev.telltale.policy;

import dev.telltale.scan.Attribute;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The predefined attribute groups. Group names are upper case, so they never clash with the
 * lower-case attribute names.
 */
final class AttributeGroups {
  private AttributeGroups() {}

  /** Returns the predefined groups in the order docs/policy.md lists them. */
  static Map<String, Set<Attribute>> predefined() {
    Map<String, Set<Attribute>> groups = new LinkedHashMap<>();
    groups.put("PERMS", EnumSet.of(Attribute.TYPE, Attribute.MODE));
    groups.put("OWNER", EnumSet.of(Attribute.UID, Attribute.GID));
    groups.put("NAMES", EnumSet.of(Attribute.USER, Attribute.GROUP));
    groups.put("TIMES", EnumSet.of(Attribute.MTIME, Attribute.CTIME));
    groups.put(
        "SECURITY",
        EnumSet.of(
            Attribute.XATTRS, Attribute.ACL, Attribute.SELINUX, Attribute.CAPS, Attribute.FLAGS));
    Set<Attribute> content =
        EnumSet.of(
            Attribute.TYPE,
            Attribute.MODE,
            Attribute.UID,
            Attribute.GID,
            Attribute.SIZE,
            Attribute.MTIME,
            Attribute.CTIME,
            Attribute.INODE,
            Attribute.NLINK,
            Attribute.TARGET,
            Attribute.SHA256);
    groups.put("CONTENT", content);
    Set<Attribute> full = EnumSet.copyOf(content);
    full.addAll(groups.get("SECURITY"));
    full.add(Attribute.RDEV);
    groups.put("FULL", full);
    groups.put("ALL", EnumSet.allOf(Attribute.class));
    // Directories and logs share the identity of the entry; logs add what growth changes.
    Set<Attribute> dir =
        EnumSet.of(
            Attribute.TYPE,
            Attribute.MODE,
            Attribute.UID,
            Attribute.GID,
            Attribute.INODE,
            Attribute.TARGET);
    groups.put("DIR", dir);
    Set<Attribute> log = EnumSet.copyOf(dir);
    log.remove(Attribute.TARGET);
    log.add(Attribute.SIZE);
    log.add(Attribute.SHA256);
    groups.put("LOG", log);
    return groups;
  }
}
