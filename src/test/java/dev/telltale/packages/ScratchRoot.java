package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** A scratch root with the fimtest package installed by Debian's rpm, and rpmdb tamper tools. */
final class ScratchRoot {
  final Path root;
  final Path database;

  private ScratchRoot(Path root) {
    this.root = root;
    this.database = root.resolve("var/lib/rpm/rpmdb.sqlite");
  }

  /** Installs fimtest-signed.rpm into {@code root/}; fails naming the package if rpm is absent. */
  static ScratchRoot install(Path temp) throws Exception {
    assertThat(Path.of("/usr/bin/rpm"))
        .as("the rpm binary is needed: apt-get install -y rpm")
        .exists();
    Path rpmFile = Fixtures.copy(Fixtures.FIMTEST_RPM, temp);
    Path root = temp.resolve("root");
    Files.createDirectories(root);
    Result result =
        run(
            "rpm",
            "--root",
            root.toString(),
            "--dbpath",
            "/var/lib/rpm",
            "--nodeps",
            "--nosignature",
            "-i",
            rpmFile.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    return new ScratchRoot(root);
  }

  record Result(int exit, String output) {}

  static Result run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  /** Runs {@code rpm -V fimtest} on this root and returns its output without rpm's warnings. */
  Result rpmVerify() throws Exception {
    Result raw = run("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-V", "fimtest");
    StringBuilder kept = new StringBuilder();
    for (String line : raw.output().split("\n")) {
      if (!line.startsWith("rpm: ") && !line.isBlank()) {
        kept.append(line).append('\n');
      }
    }
    return new Result(raw.exit(), kept.toString());
  }

  long fimtestHeaderNumber() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        ResultSet rows = c.createStatement().executeQuery("SELECT hnum, blob FROM Packages")) {
      while (rows.next()) {
        RpmHeader header = RpmHeader.parse(rows.getBytes(2));
        if (header.strings(header.signedEntry(RpmTag.NAME)).getFirst().equals("fimtest")) {
          return rows.getLong(1);
        }
      }
    }
    throw new AssertionError("fimtest not in " + database);
  }

  byte[] blob(long number) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        PreparedStatement query = c.prepareStatement("SELECT blob FROM Packages WHERE hnum = ?")) {
      query.setLong(1, number);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getBytes(1);
      }
    }
  }

  void replaceBlob(long number, byte[] blob) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        PreparedStatement update =
            c.prepareStatement("UPDATE Packages SET blob = ? WHERE hnum = ?")) {
      update.setBytes(1, blob);
      update.setLong(2, number);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  /** Offset of an entry's data within the blob. */
  static int dataOffset(RpmHeader header, RpmHeader.IndexEntry entry) {
    return 8 + 16 * header.entries().size() + entry.offset();
  }

  /** Rebuilds a blob with some unsigned tags dropped and one entry appended (tag 0 for none). */
  static byte[] rebuild(
      byte[] blob, List<Integer> dropTags, int addTag, int addType, int addCount, byte[] addData)
      throws Exception {
    RpmHeader header = RpmHeader.parse(blob);
    List<int[]> entries = new ArrayList<>();
    for (RpmHeader.IndexEntry entry : header.entries()) {
      if (!entry.signed() && dropTags.contains(entry.tag())) {
        continue;
      }
      entries.add(new int[] {entry.tag(), entry.type(), entry.offset(), entry.count()});
    }
    int oldIndexBytes = 16 * header.entries().size();
    byte[] data = java.util.Arrays.copyOfRange(blob, 8 + oldIndexBytes, blob.length);
    ByteArrayOutputStream newData = new ByteArrayOutputStream();
    newData.writeBytes(data);
    if (addTag != 0) {
      while (newData.size() % 8 != 0) {
        newData.write(0);
      }
      entries.add(new int[] {addTag, addType, newData.size(), addCount});
      newData.writeBytes(addData);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeInt(out, entries.size());
    writeInt(out, newData.size());
    for (int[] entry : entries) {
      for (int value : entry) {
        writeInt(out, value);
      }
    }
    out.writeBytes(newData.toByteArray());
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }
}
