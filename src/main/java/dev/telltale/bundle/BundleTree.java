package dev.telltale.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The files of a bundle directory as they are on disk, and their digests. */
final class BundleTree {
  private BundleTree() {}

  /** What a path below the bundle root is, without following symbolic links. */
  enum Kind {
    REGULAR,
    OTHER
  }

  /**
   * Paths below the root, relative and with {@code /} separators. Directories are walked but not
   * listed.
   *
   * @param entries every non-directory, regular or not
   * @param unreadable paths of directories or files that could not be listed, with the reason
   */
  record Listing(SortedMap<String, Kind> entries, SortedMap<String, String> unreadable) {}

  /**
   * Lists a bundle directory without following symbolic links. Never recurses on the Java stack:
   * {@link Files#walkFileTree} keeps its own stack of open directories.
   */
  static Listing list(Path root) throws IOException {
    SortedMap<String, Kind> entries = new TreeMap<>();
    SortedMap<String, String> unreadable = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            entries.put(
                relative(root, file), attributes.isRegularFile() ? Kind.REGULAR : Kind.OTHER);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (file.equals(root)) {
              throw e;
            }
            unreadable.put(relative(root, file), String.valueOf(e.getMessage()));
            return FileVisitResult.CONTINUE;
          }
        });
    return new Listing(entries, unreadable);
  }

  private static String relative(Path root, Path file) {
    List<String> names = new ArrayList<>();
    for (Path name : root.relativize(file)) {
      names.add(name.toString());
    }
    return String.join("/", names);
  }

  /**
   * Returns the lower-case hex SHA-256 digest of a regular file's content.
   *
   * @throws IOException if the file cannot be read, or is a symbolic link
   */
  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in =
        Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
