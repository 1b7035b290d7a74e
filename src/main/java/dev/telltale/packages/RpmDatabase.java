package dev.telltale.packages;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The sqlite backend of an rpmdb ({@code rpmdb.sqlite}, table {@code Packages(hnum, blob)}), opened
 * read-only. The Berkeley DB and ndb backends are recognised and rejected with a message.
 */
public final class RpmDatabase {
  /** Header blobs larger than this are reported as malformed without being loaded. */
  static final int MAX_HEADER_BYTES = 64 * 1024 * 1024;

  private static final String SQLITE_NAME = "rpmdb.sqlite";
  private static final List<String> DEFAULT_DIRECTORIES =
      List.of("usr/lib/sysimage/rpm", "var/lib/rpm");

  /** Receives each header in {@code hnum} order. */
  @FunctionalInterface
  public interface HeaderConsumer {
    /**
     * Receives one header.
     *
     * @param headerNumber the {@code hnum} key
     * @param blob the header bytes, or null when the blob is over the size limit
     * @param sizeBytes the blob's size as sqlite reports it
     */
    void accept(long headerNumber, byte[] blob, long sizeBytes);
  }

  private final Path file;
  private final List<String> notes;

  private RpmDatabase(Path file, List<String> notes) {
    this.file = file;
    this.notes = notes;
  }

  /**
   * Finds the rpmdb: {@code rpmdbOrNull} (the sqlite file or its directory) when given, else {@code
   * usr/lib/sysimage/rpm} then {@code var/lib/rpm} below the root.
   *
   * @throws OutputException if no sqlite rpmdb is there, naming any other backend found
   */
  public static RpmDatabase locate(Path root, Path rpmdbOrNull) throws OutputException {
    List<Path> directories = new ArrayList<>();
    if (rpmdbOrNull != null) {
      if (Files.isRegularFile(rpmdbOrNull)) {
        return new RpmDatabase(rpmdbOrNull, new ArrayList<>());
      }
      directories.add(rpmdbOrNull);
    } else {
      for (String directory : DEFAULT_DIRECTORIES) {
        directories.add(root.resolve(directory));
      }
    }
    for (Path directory : directories) {
      Path candidate = directory.resolve(SQLITE_NAME);
      if (Files.isRegularFile(candidate)) {
        return new RpmDatabase(candidate, new ArrayList<>());
      }
    }
    for (Path directory : directories) {
      if (Files.isRegularFile(directory.resolve("Packages"))) {
        throw new OutputException(
            "only the Berkeley DB rpmdb backend is present in "
                + directory
                + ", which telltale cannot read: convert it with 'rpmdb --rebuilddb"
                + " --define \"_db_backend sqlite\"' on a trusted copy");
      }
      if (Files.isRegularFile(directory.resolve("Packages.db"))) {
        throw new OutputException(
            "only the ndb rpmdb backend is present in "
                + directory
                + ", which telltale cannot read: convert it to sqlite on a trusted copy");
      }
    }
    throw new OutputException(
        "no rpmdb found in " + directories + ": name the rpmdb.sqlite file with --rpmdb");
  }

  /** Returns the sqlite file that was read. */
  public Path file() {
    return file;
  }

  /** Returns notes about how the database was read, such as a copy made to open it. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * Reads every header in {@code hnum} order.
   *
   * @throws OutputException if the database cannot be opened or read
   */
  public void forEachHeader(HeaderConsumer consumer) throws TelltaleException {
    try {
      read(file, consumer);
    } catch (SQLException first) {
      // A WAL database on a read-only directory cannot be opened read-only, because sqlite must
      // create the -shm file next to it; a private copy of the database and its -wal works.
      Path copy = copyWithWal(first);
      try {
        notes.add("opened a private copy of " + file + " because: " + first.getMessage());
        read(copy.resolve(SQLITE_NAME), consumer);
      } catch (SQLException second) {
        throw new OutputException("cannot read rpmdb " + file + ": " + second.getMessage(), second);
      } finally {
        deleteTree(copy);
      }
    }
  }

  private static void read(Path database, HeaderConsumer consumer) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + database);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT hnum, length(blob), CASE WHEN length(blob) <= ? THEN blob END"
                    + " FROM Packages ORDER BY hnum")) {
      query.setInt(1, MAX_HEADER_BYTES);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          consumer.accept(rows.getLong(1), rows.getBytes(3), rows.getLong(2));
        }
      }
    }
  }

  private Path copyWithWal(SQLException cause) throws OutputException {
    try {
      Path directory = Files.createTempDirectory("telltale-rpmdb");
      Files.copy(file, directory.resolve(SQLITE_NAME), StandardCopyOption.COPY_ATTRIBUTES);
      Path wal = file.resolveSibling(file.getFileName() + "-wal");
      if (Files.isRegularFile(wal)) {
        Files.copy(wal, directory.resolve(SQLITE_NAME + "-wal"));
      }
      return directory;
    } catch (IOException e) {
      OutputException failure =
          new OutputException(
              "cannot open rpmdb " + file + " (" + cause.getMessage() + ") nor copy it: " + e, e);
      failure.addSuppressed(cause);
      throw failure;
    }
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temporary copy is harmless: it holds no secret.
    }
  }
}
