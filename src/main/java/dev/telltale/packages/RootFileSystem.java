package dev.telltale.packages;

import dev.telltale.scan.FsPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The installed tree below {@code --root}, looked at the way a process chrooted there would see it:
 * symlinks in directory components resolve inside the root, so an absolute link in a mounted clone
 * never leads to the host's files. The last component is never followed.
 */
// NOTE: paths are handed to java.nio as UTF-8 strings, so a name that is not valid UTF-8 cannot
// be opened and is reported as unreadable; the posix package's byte-exact calls would fix that.
final class RootFileSystem {
  private static final int MAX_SYMLINK_HOPS = 40;
  private static final int MAX_LINK_BYTES = 4096;

  /** What lstat returned for one file. */
  record Stat(int mode, int uid, int gid, long sizeBytes, long mtimeSeconds, long rdev) {}

  private final Path root;
  private final Map<Integer, String> userNames;
  private final Map<Integer, String> groupNames;

  RootFileSystem(Path root) {
    this.root = root;
    this.userNames = readNames(root.resolve("etc/passwd"));
    this.groupNames = readNames(root.resolve("etc/group"));
  }

  Path root() {
    return root;
  }

  /**
   * Resolves a package path to a host path, following symlinks in every component but the last
   * inside the root.
   *
   * @throws IOException if a component is missing or a symlink loop exceeds 40 hops
   */
  Path resolve(FsPath path) throws IOException {
    Deque<String> pending = new ArrayDeque<>();
    for (byte[] name : path.components()) {
      pending.addLast(new String(name, StandardCharsets.UTF_8));
    }
    Deque<String> resolved = new ArrayDeque<>();
    int hops = 0;
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        resolved.pollLast();
        continue;
      }
      Path candidate = hostPath(resolved).resolve(name);
      if (pending.isEmpty() || !Files.isSymbolicLink(candidate)) {
        resolved.addLast(name);
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS) {
        throw new IOException("too many levels of symbolic links below " + path);
      }
      String target = Files.readSymbolicLink(candidate).toString();
      if (target.startsWith("/")) {
        resolved.clear();
      }
      List<String> parts = List.of(target.split("/"));
      for (int i = parts.size() - 1; i >= 0; i--) {
        pending.addFirst(parts.get(i));
      }
    }
    return hostPath(resolved);
  }

  private Path hostPath(Deque<String> components) {
    Path result = root;
    for (String name : components) {
      result = result.resolve(name);
    }
    return result;
  }

  /** Returns lstat of a host path, or null when it does not exist. */
  Stat lstat(Path file, boolean follow) throws IOException {
    Map<String, Object> attributes;
    try {
      attributes =
          follow
              ? Files.readAttributes(file, "unix:mode,uid,gid,size,lastModifiedTime,rdev")
              : Files.readAttributes(
                  file, "unix:mode,uid,gid,size,lastModifiedTime,rdev", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    return new Stat(
        (Integer) attributes.get("mode"),
        (Integer) attributes.get("uid"),
        (Integer) attributes.get("gid"),
        (Long) attributes.get("size"),
        ((FileTime) attributes.get("lastModifiedTime")).toInstant().getEpochSecond(),
        (Long) attributes.get("rdev"));
  }

  /** Returns the symlink target. */
  String readLink(Path file) throws IOException {
    String target = Files.readSymbolicLink(file).toString();
    if (target.length() > MAX_LINK_BYTES) {
      throw new IOException("link target longer than " + MAX_LINK_BYTES + " bytes");
    }
    return target;
  }

  /** Returns the content digest in lower-case hex, reading without following a final symlink. */
  String digest(Path file, String algorithm) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(RpmFileList.javaDigestName(algorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("digest " + algorithm + " is not available in this Java runtime", e);
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Returns the user name of a uid from the root's /etc/passwd, or null. */
  String userName(int uid) {
    return userNames.get(uid);
  }

  /** Returns the group name of a gid from the root's /etc/group, or null. */
  String groupName(int gid) {
    return groupNames.get(gid);
  }

  /**
   * Reads {@code name:x:id:...} lines; the first name for an id wins, as with getpwuid. Id 0 is
   * {@code root} unless the file names it otherwise, as in rpm.
   */
  private static Map<Integer, String> readNames(Path file) {
    Map<Integer, String> names = new HashMap<>();
    List<String> lines;
    try {
      if (Files.size(file) > 16L * 1024 * 1024) {
        return names;
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // Without the file, only id 0 has a name, so other owners show as changed: never silent.
      names.put(0, "root");
      return names;
    }
    for (String line : lines) {
      String[] fields = line.split(":", -1);
      if (fields.length < 3) {
        continue;
      }
      try {
        names.putIfAbsent(Integer.parseInt(fields[2]), fields[0]);
      } catch (NumberFormatException e) {
        // A malformed line names nobody, as for the C library.
      }
    }
    names.putIfAbsent(0, "root");
    return names;
  }
}
