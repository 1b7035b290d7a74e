package dev.telltale.io;

import dev.telltale.OutputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Set;

/**
 * A file that is written completely or not at all. Content goes to a temporary file in the target's
 * directory; {@link #commit()} flushes it to disk, renames it over the target and flushes the
 * directory, so that after a crash the target is either the old file or the complete new one.
 *
 * <p>A symbolic link at the target is rejected rather than replaced or followed. An instance that
 * is closed without a commit deletes its temporary file. A crash before the commit can leave a
 * temporary file named {@code .NAME.tmp-RANDOM} behind, but never a file under the target's name.
 */
public final class AtomicFile implements AutoCloseable {
  /** Permissions for private keys: read and write by the owner only. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static final DateTimeFormatter KEPT_COPY_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final OutputStream stream;
  private boolean finished;

  private AtomicFile(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
    this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
  }

  /**
   * Starts writing a new version of {@code target}.
   *
   * @param permissions the mode of the new file, or null for the default mode; the umask can remove
   *     permissions from it but never adds any
   * @throws OutputException if the target is a symbolic link or the directory is not writable
   */
  public static AtomicFile create(Path target, Set<PosixFilePermission> permissions)
      throws OutputException {
    Path absolute = target.toAbsolutePath();
    rejectSymlink(absolute);
    Path directory = absolute.getParent();
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path temporary =
        directory.resolve(
            "." + absolute.getFileName() + ".tmp-" + HexFormat.of().formatHex(suffix));
    FileAttribute<?>[] attributes =
        permissions == null
            ? new FileAttribute<?>[0]
            : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
    try {
      // CREATE_NEW is O_CREAT|O_EXCL, which also fails on a symbolic link planted at that name.
      FileChannel channel =
          FileChannel.open(
              temporary,
              Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
              attributes);
      return new AtomicFile(absolute, temporary, channel);
    } catch (IOException e) {
      throw new OutputException("cannot create a file in " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code content} to {@code target} atomically, replacing an existing file. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws OutputException {
    try (AtomicFile file = create(target, permissions)) {
      file.writeAll(content);
      file.commit();
    }
  }

  /**
   * Writes {@code content} to {@code target} atomically, but only if no file of that name exists.
   *
   * @throws OutputException if the target exists (the message names it) or cannot be written
   */
  public static void writeNew(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws OutputException {
    try (AtomicFile file = create(target, permissions)) {
      file.writeAll(content);
      file.commitNew();
    }
  }

  private void writeAll(byte[] content) throws OutputException {
    try {
      stream.write(content);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** Returns the stream for the content. Closing it does not commit. */
  public OutputStream stream() {
    return stream;
  }

  /** Returns the path that a commit replaces. */
  public Path target() {
    return target;
  }

  /**
   * Replaces the target with the written content. Afterwards the new content is on disk under the
   * target's name, even after a power failure.
   *
   * @throws OutputException if flushing or renaming fails, and the target then still has its old
   *     content; or if flushing the directory fails after the rename
   */
  public void commit() throws OutputException {
    flushToDisk();
    rejectSymlink(target);
    renameOverTarget();
  }

  /**
   * Creates the target with the written content, failing if it exists. The hard link that creates
   * it is atomic, so two writers cannot both succeed.
   */
  public void commitNew() throws OutputException {
    flushToDisk();
    try {
      Files.createLink(target, temporary);
    } catch (FileAlreadyExistsException e) {
      throw new OutputException(target + " already exists; it was not changed", e);
    } catch (IOException e) {
      throw failure(e);
    }
    deleteTemporary();
    finished = true;
    syncDirectory(target.getParent());
  }

  /**
   * Replaces the target and keeps its previous content as {@code TARGET.YYYYMMDDTHHMMSSZ}, the time
   * being {@code now} in UTC. The kept copy is a hard link to the old file, made before the new
   * file is renamed over the target, so at every moment the target is a complete file. An existing
   * kept copy is never overwritten.
   *
   * @return the kept copy, or null when there was no previous file
   * @throws OutputException if a different file already has the kept copy's name (retry a second
   *     later) or the directory is not writable
   */
  public Path commitKeepingPrevious(Instant now) throws OutputException {
    flushToDisk();
    rejectSymlink(target);
    Path kept = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      kept = target.resolveSibling(target.getFileName() + "." + KEPT_COPY_TIME.format(now));
      try {
        Files.createLink(kept, target);
      } catch (FileAlreadyExistsException e) {
        // A retry after a crash between link and rename finds its own link: that copy is right.
        if (!isSameFile(kept, target)) {
          throw new OutputException(
              "cannot keep the previous "
                  + target.getFileName()
                  + ": "
                  + kept
                  + " already exists; retry in a second",
              e);
        }
      } catch (IOException e) {
        throw failure(e);
      }
    }
    renameOverTarget();
    return kept;
  }

  private void renameOverTarget() throws OutputException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw failure(e);
    }
    finished = true;
    syncDirectory(target.getParent());
  }

  /** Deletes the temporary file unless the content was committed. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      channel.close();
    } catch (IOException e) {
      // The file is deleted next; a failed close loses nothing that anyone will read.
    }
    deleteTemporary();
  }

  private void flushToDisk() throws OutputException {
    if (finished) {
      throw new IllegalStateException("atomic write of " + target + " already finished");
    }
    try {
      stream.flush();
      channel.force(true);
      channel.close();
    } catch (IOException e) {
      close();
      throw failure(e);
    }
  }

  private void deleteTemporary() {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // NOTE: a temporary file that cannot be deleted stays behind. Its name never looks like
      // the target's, so no reader mistakes it for the real file.
    }
  }

  private static boolean isSameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static void rejectSymlink(Path target) throws OutputException {
    if (Files.isSymbolicLink(target)) {
      throw new OutputException(
          target
              + " is a symbolic link; telltale does not write through links: remove it or"
              + " give the real path");
    }
    // Replacing a device node or FIFO with a regular file would break the system quietly.
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new OutputException(
          target + " exists and is not a regular file; telltale replaces only regular files");
    }
  }

  /** Flushes a directory, so that a rename in it survives a power failure. */
  private static void syncDirectory(Path directory) throws OutputException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new OutputException("cannot flush directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private OutputException failure(IOException e) {
    return new OutputException("cannot write " + target + ": " + e.getMessage(), e);
  }
}
