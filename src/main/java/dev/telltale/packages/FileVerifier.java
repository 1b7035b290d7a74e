package dev.telltale.packages;

import dev.telltale.packages.FileResult.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares installed files with their package metadata the way {@code rpm -V} (rpm 4.18) does,
 * except that the unsigned install-time file state never makes a file skipped or checked less.
 */
final class FileVerifier {
  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_DIRECTORY = 0040000;
  private static final int TYPE_SYMLINK = 0120000;
  private static final int TYPE_REGULAR = 0100000;
  private static final int TYPE_CHAR = 0020000;
  private static final int TYPE_BLOCK = 0060000;

  /** rpm's marker letters in the order of its rpmFFlagsString; the first flag present wins. */
  private static final String[][] MARKERS = {
    {"doc", "d"},
    {"config", "c"},
    {"specfile", "s"},
    {"missingok", "m"},
    {"noreplace", "n"},
    {"ghost", "g"},
    {"license", "l"},
    {"readme", "r"},
    {"artifact", "a"}
  };

  private final RootFileSystem root;

  FileVerifier(RootFileSystem root) {
    this.root = root;
  }

  static char marker(PackageFile file) {
    for (String[] marker : MARKERS) {
      if (file.flags().contains(marker[0])) {
        return marker[1].charAt(0);
      }
    }
    return ' ';
  }

  FileResult verify(RpmFile rpmFile) {
    PackageFile file = rpmFile.file();
    List<String> notes = new ArrayList<>();
    if (rpmFile.state() == RpmFile.STATE_NOT_INSTALLED
        || rpmFile.state() == RpmFile.STATE_NET_SHARED
        || rpmFile.state() == RpmFile.STATE_REPLACED
        || rpmFile.state() == RpmFile.STATE_WRONG_COLOR) {
      notes.add(
          "rpmdb file state is '"
              + rpmFile.stateName()
              + "', which rpm -V trusts to check less; the state is unsigned, so telltale checks"
              + " the file fully");
    }
    Set<VerifyAttribute> differing = EnumSet.noneOf(VerifyAttribute.class);
    Set<VerifyAttribute> unreadable = EnumSet.noneOf(VerifyAttribute.class);
    Map<VerifyAttribute, String> actual = new EnumMap<>(VerifyAttribute.class);
    char marker = marker(file);

    Path host;
    RootFileSystem.Stat stat;
    try {
      host = root.resolve(file.path());
      stat = root.lstat(host, false);
    } catch (IOException e) {
      notes.add("cannot examine: " + e.getMessage());
      return new FileResult(file, marker, Status.UNREADABLE, differing, unreadable, actual, notes);
    }
    if (stat == null) {
      if (rpmFile.file().flags().contains("ghost") || file.flags().contains("missingok")) {
        notes.add("missing, which rpm accepts for ghost and missingok files");
      }
      return new FileResult(file, marker, Status.MISSING, differing, unreadable, actual, notes);
    }
    int expectedMode = rpmFile.fullMode();
    if ((expectedMode & TYPE_MASK) == TYPE_DIRECTORY && (stat.mode() & TYPE_MASK) == TYPE_SYMLINK) {
      // Like rpm, accept a symlink to a directory where the package has a directory.
      try {
        RootFileSystem.Stat target = root.lstat(root.resolve(file.path()), true);
        if (target != null && (target.mode() & TYPE_MASK) == TYPE_DIRECTORY) {
          stat = target;
        }
      } catch (IOException e) {
        notes.add("cannot follow symlink to directory: " + e.getMessage());
      }
    }

    int flags = rpmFile.verifyFlags();
    int actualType = stat.mode() & TYPE_MASK;
    Set<VerifyAttribute> checks = EnumSet.noneOf(VerifyAttribute.class);
    for (VerifyAttribute attribute : VerifyAttribute.values()) {
      if ((flags & attribute.rpmBit()) != 0) {
        checks.add(attribute);
      }
    }
    if (actualType == TYPE_SYMLINK) {
      checks.remove(VerifyAttribute.MODE);
    } else {
      checks.remove(VerifyAttribute.LINK_TARGET);
    }
    if (actualType != TYPE_REGULAR) {
      checks.removeAll(
          EnumSet.of(
              VerifyAttribute.DIGEST,
              VerifyAttribute.SIZE,
              VerifyAttribute.MTIME,
              VerifyAttribute.CAPABILITIES));
    }

    for (VerifyAttribute attribute : checks) {
      try {
        String found = compare(attribute, rpmFile, host, stat);
        if (found != null) {
          differing.add(attribute);
          actual.put(attribute, found);
        }
      } catch (IOException e) {
        unreadable.add(attribute);
        notes.add("cannot read " + attribute.label() + ": " + e.getMessage());
      }
    }
    Status status =
        !unreadable.isEmpty()
            ? Status.UNREADABLE
            : differing.isEmpty() ? Status.OK : Status.CHANGED;
    return new FileResult(file, marker, status, differing, unreadable, actual, notes);
  }

  /** Returns the value found when it differs from the package's, or null when it matches. */
  private String compare(
      VerifyAttribute attribute, RpmFile rpmFile, Path host, RootFileSystem.Stat stat)
      throws IOException {
    PackageFile file = rpmFile.file();
    return switch (attribute) {
      case DIGEST -> {
        if (file.digestHex().isEmpty()) {
          yield "(package has no digest)";
        }
        String digest = root.digest(host, file.digestAlgorithm());
        yield digest.equals(file.digestHex()) ? null : digest;
      }
      case LINK_TARGET -> {
        String target = root.readLink(host);
        yield target.equals(file.linkTarget()) ? null : target;
      }
      case SIZE -> stat.sizeBytes() == file.sizeBytes() ? null : Long.toString(stat.sizeBytes());
      case MODE -> {
        int expected = rpmFile.fullMode();
        int found = stat.mode() & 0177777;
        if (file.flags().contains("ghost")) {
          // The type of a ghost file is not meaningful, but its permissions are.
          expected &= ~TYPE_MASK;
          found &= ~TYPE_MASK;
        }
        yield expected == found ? null : String.format(Locale.ROOT, "%06o", stat.mode() & 0177777);
      }
      case RDEV -> compareRdev(rpmFile.fullMode(), rpmFile.rdev(), stat);
      case CAPABILITIES -> {
        FileCapabilities expected =
            rpmFile.capabilities().isEmpty()
                ? FileCapabilities.NONE
                : FileCapabilities.parse(rpmFile.capabilities());
        FileCapabilities found = FileCapabilities.read(host);
        yield expected.equals(found) ? null : found.toString();
      }
      case MTIME ->
          stat.mtimeSeconds() == file.mtimeSeconds() ? null : Long.toString(stat.mtimeSeconds());
      case USER -> {
        String name = root.userName(stat.uid());
        yield name != null && name.equals(file.user()) ? null : nameOrId(name, stat.uid());
      }
      case GROUP -> {
        String name = root.groupName(stat.gid());
        yield name != null && name.equals(file.group()) ? null : nameOrId(name, stat.gid());
      }
    };
  }

  private static String nameOrId(String name, int id) {
    return name != null ? name : Integer.toString(id);
  }

  private static String compareRdev(int expectedMode, int expectedRdev, RootFileSystem.Stat stat) {
    int expectedType = expectedMode & TYPE_MASK;
    int actualType = stat.mode() & TYPE_MASK;
    boolean expectedDevice = expectedType == TYPE_CHAR || expectedType == TYPE_BLOCK;
    boolean actualDevice = actualType == TYPE_CHAR || actualType == TYPE_BLOCK;
    String found = "0x" + Long.toHexString(stat.rdev());
    if ((expectedType == TYPE_CHAR) != (actualType == TYPE_CHAR)
        || (expectedType == TYPE_BLOCK) != (actualType == TYPE_BLOCK)) {
      return found;
    }
    if (expectedDevice && actualDevice && (stat.rdev() & 0xFFFF) != (expectedRdev & 0xFFFF)) {
      // rpm stores device numbers in 16 bits, so only those are compared.
      return found;
    }
    return null;
  }
}
