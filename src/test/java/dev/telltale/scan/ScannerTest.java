package dev.telltale.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.telltale.OutputException;
import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {
  @TempDir Path root;

  private List<Entry> scanAll(Scanner scanner) throws Exception {
    List<Entry> entries = new ArrayList<>();
    try (EntryStream stream = scanner.scan()) {
      for (Entry entry = stream.next(); entry != null; entry = stream.next()) {
        entries.add(entry);
      }
    }
    return entries;
  }

  private List<Entry> scanAll() throws Exception {
    return scanAll(new Scanner(root, new RecordAllPlan(), new ScanOptions(2, false)));
  }

  private static Entry find(List<Entry> entries, String escapedPath) {
    return entries.stream()
        .filter(entry -> entry.path().toString().equals(escapedPath))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + escapedPath + " in " + entries));
  }

  private int openRoot() throws PosixException {
    byte[] path = root.toString().getBytes(StandardCharsets.UTF_8);
    return Posix.openat(Posix.AT_FDCWD, path, Posix.O_RDONLY | Posix.O_DIRECTORY, 0);
  }

  private static void createFile(int dirFd, byte[] name) throws PosixException {
    int flags = Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC;
    Posix.close(Posix.openat(dirFd, name, flags, 0644));
  }

  private static void run(Path directory, String... command) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      Map<String, String> packages =
          Map.of(
              "setfattr", "attr", "setfacl", "acl", "setcap", "libcap2-bin", "chattr", "e2fsprogs");
      throw new AssertionError(
          command[0]
              + " is missing: install the Debian package "
              + packages.getOrDefault(command[0], "coreutils"),
          e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", List.of(command)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", List.of(command), output).isZero();
  }

  private static boolean isRoot() throws IOException {
    return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
  }

  @Test
  void oddNamesComeInCanonicalOrder() throws Exception {
    byte[][] names = {
      "a b".getBytes(StandardCharsets.UTF_8),
      "a%".getBytes(StandardCharsets.UTF_8),
      "a\n".getBytes(StandardCharsets.UTF_8),
      {'a', 1},
      {'a', (byte) 0xFF, 'z'},
      "a-".getBytes(StandardCharsets.UTF_8),
      "é".getBytes(StandardCharsets.UTF_8),
      "B".getBytes(StandardCharsets.UTF_8),
    };
    int rootFd = openRoot();
    try {
      for (byte[] name : names) {
        createFile(rootFd, name);
      }
      Posix.mkdirat(rootFd, new byte[] {'a'}, 0755);
      int aFd = Posix.openat(rootFd, new byte[] {'a'}, Posix.O_RDONLY | Posix.O_DIRECTORY, 0);
      createFile(aFd, new byte[] {'z'});
      Posix.close(aFd);
    } finally {
      Posix.close(rootFd);
    }

    List<FsPath> paths = scanAll().stream().map(Entry::path).toList();

    assertThat(paths).isSorted();
    assertThat(paths.stream().map(FsPath::toString))
        .containsExactly(
            "/", "/B", "/a", "/a/z", "/a%01", "/a%0A", "/a%20b", "/a%25", "/a-", "/a%FFz", "/é");
  }

  @Test
  void invalidUtf8NameKeepsItsBytes() throws Exception {
    byte[] name = {'x', (byte) 0xC3, (byte) 0x28};
    int rootFd = openRoot();
    try {
      createFile(rootFd, name);
    } finally {
      Posix.close(rootFd);
    }

    Entry entry = find(scanAll(), "/x%C3(");

    assertThat(entry.path().name()).isEqualTo(name);
  }

  @Test
  @Timeout(60)
  void symlinkLoopsAreRecordedNotFollowed() throws Exception {
    Files.createDirectory(root.resolve("d"));
    Files.createSymbolicLink(root.resolve("d/up"), Path.of(".."));
    Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));

    List<Entry> entries = scanAll();

    assertThat(entries).hasSize(5);
    assertThat(find(entries, "/d/up").value(Attribute.TARGET)).isEqualTo("..");
    assertThat(find(entries, "/loop1").type()).isEqualTo(EntryType.SYMLINK);
    assertThat(find(entries, "/loop1").error()).isNull();
  }

  @Test
  void symlinkTargetIsEscaped() throws Exception {
    int rootFd = openRoot();
    try {
      Posix.symlinkat(new byte[] {'t', ' ', (byte) 0xFE}, rootFd, new byte[] {'l'});
    } finally {
      Posix.close(rootFd);
    }

    assertThat(find(scanAll(), "/l").value(Attribute.TARGET)).isEqualTo("t%20%FE");
  }

  @Test
  @Timeout(60)
  void fifoAndSocketAreRecordedWithoutOpening() throws Exception {
    int rootFd = openRoot();
    try {
      Posix.mknodat(rootFd, "fifo".getBytes(StandardCharsets.US_ASCII), Posix.S_IFIFO | 0644, 0);
      Posix.mknodat(rootFd, "sock".getBytes(StandardCharsets.US_ASCII), Posix.S_IFSOCK | 0644, 0);
    } finally {
      Posix.close(rootFd);
    }

    // A FIFO opened for reading without a writer blocks: finishing within the timeout shows that
    // the scanner did not open it in blocking mode, and the missing digest that it did not read.
    List<Entry> entries = scanAll();

    assertThat(find(entries, "/fifo").type()).isEqualTo(EntryType.FIFO);
    assertThat(find(entries, "/fifo").value(Attribute.SHA256)).isNull();
    assertThat(find(entries, "/fifo").error()).isNull();
    assertThat(find(entries, "/sock").type()).isEqualTo(EntryType.SOCKET);
    assertThat(find(entries, "/sock").error()).isNull();
  }

  @Test
  void charDeviceRecordsItsNumber() throws Exception {
    assumeTrue(isRoot(), "mknod of a device needs root");
    int rootFd = openRoot();
    try {
      Posix.mknodat(
          rootFd,
          "null".getBytes(StandardCharsets.US_ASCII),
          Posix.S_IFCHR | 0666,
          Posix.makedev(1, 3));
    } finally {
      Posix.close(rootFd);
    }

    Entry entry = find(scanAll(), "/null");

    assertThat(entry.type()).isEqualTo(EntryType.CHAR_DEVICE);
    assertThat(entry.value(Attribute.RDEV)).isEqualTo("1:3");
    assertThat(entry.value(Attribute.SHA256)).isNull();
  }

  @Test
  void entryVanishingMidScanIsReported() throws Exception {
    Files.writeString(root.resolve("gone"), "x");
    Files.writeString(root.resolve("kept"), "y");
    ScanHook hook =
        new ScanHook() {
          @Override
          public void beforeExamine(FsPath child) {
            if (child.toString().equals("/gone")) {
              deleteQuietly(root.resolve("gone"));
            }
          }
        };

    List<Entry> entries =
        scanAll(new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false), hook));

    assertThat(find(entries, "/gone").type()).isEqualTo(EntryType.UNKNOWN);
    assertThat(find(entries, "/gone").error()).isEqualTo(Scanner.VANISHED);
    assertThat(find(entries, "/kept").error()).isNull();
  }

  @Test
  void fileReplacedBeforeOpenIsTamper() throws Exception {
    Files.writeString(root.resolve("f"), "original");
    Files.writeString(root.resolve("other"), "attacker");
    ScanHook hook =
        new ScanHook() {
          @Override
          public void beforeOpen(FsPath child) {
            if (child.toString().equals("/f")) {
              try {
                Files.move(
                    root.resolve("other"),
                    root.resolve("f"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            }
          }
        };

    List<Entry> entries =
        scanAll(new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false), hook));

    assertThat(find(entries, "/f").error()).isEqualTo(Scanner.REPLACED);
    assertThat(find(entries, "/f").value(Attribute.SHA256)).isNull();
  }

  @Test
  void fileGrowingWhileReadHasNoDigest() throws Exception {
    Files.writeString(root.resolve("log"), "first line\n");
    ScanHook hook =
        new ScanHook() {
          @Override
          public void beforeOpen(FsPath child) {
            if (child.toString().equals("/log")) {
              try {
                Files.writeString(
                    root.resolve("log"), "appended\n", java.nio.file.StandardOpenOption.APPEND);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            }
          }
        };

    List<Entry> entries =
        scanAll(new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false), hook));

    assertThat(find(entries, "/log").error()).isEqualTo(Scanner.CHANGED_WHILE_READ);
    assertThat(find(entries, "/log").value(Attribute.SHA256)).isNull();
  }

  @Test
  void directoryReplacedBySymlinkIsNotFollowed() throws Exception {
    Files.createDirectory(root.resolve("d"));
    Files.createDirectory(root.resolve("elsewhere"));
    Files.writeString(root.resolve("elsewhere/secret"), "s");
    ScanHook hook =
        new ScanHook() {
          @Override
          public void beforeOpen(FsPath child) {
            if (child.toString().equals("/d")) {
              try {
                Files.delete(root.resolve("d"));
                Files.createSymbolicLink(root.resolve("d"), root.resolve("elsewhere"));
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            }
          }
        };

    List<Entry> entries =
        scanAll(new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false), hook));

    assertThat(find(entries, "/d").error()).isEqualTo(Scanner.REPLACED);
    assertThat(entries.stream().map(entry -> entry.path().toString())).doesNotContain("/d/secret");
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void hardLinksShareInodeAndCount() throws Exception {
    Files.writeString(root.resolve("one"), "same");
    Files.createLink(root.resolve("two"), root.resolve("one"));

    List<Entry> entries = scanAll();

    assertThat(find(entries, "/two").value(Attribute.INODE))
        .isEqualTo(find(entries, "/one").value(Attribute.INODE));
    assertThat(find(entries, "/two").value(Attribute.NLINK)).isEqualTo("2");
  }

  @Test
  void digestsMatchTheJdk() throws Exception {
    byte[] content = "hello, telltale\n".repeat(20000).getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve("f"), content);

    Entry entry = find(scanAll(), "/f");

    HexFormat hex = HexFormat.of();
    assertThat(entry.value(Attribute.SHA256))
        .isEqualTo(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    assertThat(entry.value(Attribute.SHA512))
        .isEqualTo(hex.formatHex(MessageDigest.getInstance("SHA-512").digest(content)));
    assertThat(entry.value(Attribute.SIZE)).isEqualTo(Integer.toString(content.length));
  }

  @Test
  void manyFilesKeepOrderWithParallelDigests() throws Exception {
    for (int i = 0; i < 300; i++) {
      Files.writeString(root.resolve(String.format("f%03d", i)), "content " + i);
    }

    List<Entry> entries =
        scanAll(new Scanner(root, new RecordAllPlan(), new ScanOptions(4, false)));

    assertThat(entries).hasSize(301);
    assertThat(entries.stream().map(Entry::path).toList()).isSorted();
    assertThat(find(entries, "/f123").value(Attribute.SHA256))
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest("content 123".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  @Timeout(300)
  void sparseFileOverFourGibHasRightSizeAndDigest() throws Exception {
    long holeBytes = (4L << 30) + 4097;
    byte[] tail = "tail".getBytes(StandardCharsets.US_ASCII);
    Path file = root.resolve("sparse");
    try (var channel =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(tail), holeBytes);
    }
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    byte[] zeros = new byte[1 << 20];
    for (long left = holeBytes; left > 0; left -= zeros.length) {
      expected.update(zeros, 0, (int) Math.min(zeros.length, left));
    }
    expected.update(tail);
    Scanner scanner =
        new Scanner(
            root,
            new RecordAllPlan(EnumSet.of(Attribute.SIZE, Attribute.SHA256)),
            new ScanOptions(2, false));

    Entry entry = find(scanAll(scanner), "/sparse");

    assertThat(entry.value(Attribute.SIZE)).isEqualTo(Long.toString(holeBytes + tail.length));
    assertThat(entry.value(Attribute.SHA256))
        .isEqualTo(HexFormat.of().formatHex(expected.digest()));
    assertThat(scanner.progress().bytes()).isEqualTo(holeBytes + tail.length);
  }

  @Test
  void timestampsBefore1970AndAfter2038KeepNanoseconds() throws Exception {
    Files.writeString(root.resolve("old"), "");
    Files.writeString(root.resolve("new"), "");
    run(root, "touch", "-m", "-d", "1969-07-20 20:17:40.123456789 UTC", "old");
    run(root, "touch", "-m", "-d", "2100-01-01 00:00:00.987654321 UTC", "new");

    List<Entry> entries = scanAll();

    Instant old = Instant.parse("1969-07-20T20:17:40.123456789Z");
    Instant later = Instant.parse("2100-01-01T00:00:00.987654321Z");
    assertThat(find(entries, "/old").value(Attribute.MTIME))
        .isEqualTo(old.getEpochSecond() + ".123456789");
    assertThat(find(entries, "/new").value(Attribute.MTIME))
        .isEqualTo(later.getEpochSecond() + ".987654321");
  }

  @Test
  @Timeout(300)
  void treeDeeperThanPathMaxIsWalked() throws Exception {
    int levels = 2100;
    // Built through descriptors because the shells' cd fails past PATH_MAX.
    int fd = openRoot();
    try {
      for (int i = 0; i < levels; i++) {
        Posix.mkdirat(fd, new byte[] {'x'}, 0755);
        int next = Posix.openat(fd, new byte[] {'x'}, Posix.O_RDONLY | Posix.O_DIRECTORY, 0);
        Posix.close(fd);
        fd = next;
      }
      createFile(fd, "leaf".getBytes(StandardCharsets.US_ASCII));
    } finally {
      Posix.close(fd);
    }
    try {
      Scanner scanner =
          new Scanner(
              root, new RecordAllPlan(EnumSet.of(Attribute.MODE)), new ScanOptions(1, false));

      List<Entry> entries = scanAll(scanner);

      Entry leaf = entries.getLast();
      assertThat(entries).hasSize(levels + 2);
      assertThat(leaf.path().depth()).isEqualTo(levels + 1);
      assertThat(leaf.path().bytes().length).isGreaterThan(4096);
      assertThat(leaf.error()).isNull();
      assertThat(leaf.type()).isEqualTo(EntryType.FILE);
    } finally {
      run(root, "rm", "-rf", "x");
    }
  }

  @Test
  void pathTooLongForBaselineIsNotDescended() throws Exception {
    byte[] name = new byte[255];
    Arrays.fill(name, (byte) 0x01);
    int levels = Scanner.MAX_WALK_PATH_BYTES / 256 + 10;
    int fd = openRoot();
    try {
      for (int i = 0; i < levels; i++) {
        Posix.mkdirat(fd, name, 0755);
        int next = Posix.openat(fd, name, Posix.O_RDONLY | Posix.O_DIRECTORY, 0);
        Posix.close(fd);
        fd = next;
      }
      createFile(fd, "leaf".getBytes(StandardCharsets.US_ASCII));
    } finally {
      Posix.close(fd);
    }
    try {
      Scanner scanner =
          new Scanner(
              root, new RecordAllPlan(EnumSet.of(Attribute.MODE)), new ScanOptions(1, false));

      List<Entry> entries = scanAll(scanner);

      Entry deepest = entries.getLast();
      assertThat(deepest.error()).isEqualTo(Scanner.TOO_DEEP);
      assertThat(deepest.path().lengthBytes()).isGreaterThan(Scanner.MAX_WALK_PATH_BYTES);
      assertThat(deepest.path().toString().length()).isLessThan(1 << 20);
      assertThat(entries).noneMatch(entry -> entry.path().toString().endsWith("/leaf"));
    } finally {
      run(root, "rm", "-rf", new String(name, StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void namesComeFromTheScannedRootsEtc() throws Exception {
    Files.createDirectory(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0::/root:/bin/sh\nbroken line\n+nis:x:4242:1::/:\nalice:x:4242:4343::/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "staff:x:4343:\n");
    Files.writeString(root.resolve("owned"), "");
    Files.writeString(root.resolve("orphan"), "");
    run(root, "chown", "4242:4343", "owned");
    run(root, "chown", "5555:5555", "orphan");

    List<Entry> entries = scanAll();

    assertThat(find(entries, "/owned").value(Attribute.USER)).isEqualTo("alice");
    assertThat(find(entries, "/owned").value(Attribute.GROUP)).isEqualTo("staff");
    assertThat(find(entries, "/orphan").value(Attribute.USER)).isNull();
    assertThat(find(entries, "/orphan").value(Attribute.UID)).isEqualTo("5555");
  }

  @Test
  void passwdSymlinkIsNotFollowed() throws Exception {
    Files.createDirectory(root.resolve("etc"));
    Files.writeString(root.resolve("real"), "mallory:x:4242:4242::/:/bin/sh\n");
    Files.createSymbolicLink(root.resolve("etc/passwd"), root.resolve("real"));
    Files.writeString(root.resolve("owned"), "");
    run(root, "chown", "4242", "owned");

    assertThat(find(scanAll(), "/owned").value(Attribute.USER)).isNull();
  }

  @Test
  void extendedAttributesAclCapsAndFlagsAreDecoded() throws Exception {
    Path file = root.resolve("f");
    Files.writeString(file, "x");
    run(root, "setfattr", "-n", "user.note", "-v", "hello", "f");
    run(root, "setfacl", "-m", "u:1000:r", "f");
    run(root, "setcap", "cap_net_raw,cap_net_admin=ep", "f");
    run(root, "chattr", "+d", "f");

    Entry entry = find(scanAll(), "/f");

    assertThat(entry.error()).isNull();
    assertThat(entry.value(Attribute.XATTRS)).isEqualTo("user.note=aGVsbG8=");
    assertThat(entry.value(Attribute.ACL)).isEqualTo("u::rw-,u:1000:r--,g::r--,m::r--,o::r--");
    assertThat(entry.value(Attribute.CAPS)).isEqualTo("cap_net_admin,cap_net_raw=ep");
    assertThat(entry.value(Attribute.FLAGS)).contains("no_dump");
  }

  @Test
  void defaultAclOfDirectoryIsPrefixed() throws Exception {
    Files.createDirectory(root.resolve("d"));
    run(root, "setfacl", "-d", "-m", "g:50:rx", "d");

    String acl = find(scanAll(), "/d").value(Attribute.ACL);

    assertThat(acl).contains("default:g:50:r-x");
  }

  @Test
  void symlinkXattrsAreReadWithoutFollowing() throws Exception {
    Files.writeString(root.resolve("target"), "t");
    run(root, "setfattr", "-n", "user.mine", "-v", "target-only", "target");
    Files.createSymbolicLink(root.resolve("link"), Path.of("target"));

    Entry link = find(scanAll(), "/link");

    assertThat(link.error()).isNull();
    assertThat(link.value(Attribute.XATTRS)).isEmpty();
    assertThat(link.value(Attribute.FLAGS)).isNull();
  }

  @Test
  void unreadableEntriesGetErrorsForUnprivilegedUser() throws Exception {
    assumeTrue(isRoot(), "setpriv needs root to switch users");
    Path setpriv = Path.of("/usr/bin/setpriv");
    assertThat(setpriv).as("setpriv (Debian package util-linux) must be installed").exists();
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectory(root.resolve("secret"));
    Files.writeString(root.resolve("secret/inside"), "hidden");
    Files.setPosixFilePermissions(
        root.resolve("secret"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(root.resolve("locked"), "private");
    Files.setPosixFilePermissions(
        root.resolve("locked"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(root.resolve("open"), "public");
    Files.setPosixFilePermissions(
        root.resolve("open"), PosixFilePermissions.fromString("rw-r--r--"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            setpriv.toString(),
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            ScanDumpMain.class.getName(),
            root.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("/secret\topenat: Permission denied (EACCES)");
    assertThat(output).contains("/locked\topenat: Permission denied (EACCES)");
    assertThat(output).contains("/open\tnull");
    assertThat(output).doesNotContain("/secret/inside");
  }

  @Test
  void examineFindsOneNestedPath() throws Exception {
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/c"), "abc");
    Scanner scanner = new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false));

    Entry entry =
        scanner.examine(FsPath.of("/a/b/c"), EnumSet.of(Attribute.SIZE, Attribute.SHA256));

    assertThat(entry.value(Attribute.SIZE)).isEqualTo("3");
    assertThat(entry.value(Attribute.SHA256)).hasSize(64);
  }

  @Test
  void examineBelowSymlinkIsAbsent() throws Exception {
    Files.createDirectories(root.resolve("real"));
    Files.writeString(root.resolve("real/c"), "abc");
    Files.createSymbolicLink(root.resolve("link"), Path.of("real"));
    Scanner scanner = new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false));

    assertThat(scanner.examine(FsPath.of("/link/c"), Set.of(Attribute.SIZE))).isNull();
    assertThat(scanner.examine(FsPath.of("/missing"), Set.of(Attribute.SIZE))).isNull();
  }

  @Test
  void prefixDigestCoversOnlyThePrefix() throws Exception {
    Files.writeString(root.resolve("log"), "first line\nsecond line\n");
    Scanner scanner = new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false));

    String digest = scanner.prefixDigest(FsPath.of("/log"), Attribute.SHA256, 11);

    byte[] prefix = "first line\n".getBytes(StandardCharsets.UTF_8);
    assertThat(digest)
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(prefix)));
  }

  @Test
  void prefixDigestOfShrunkFileFails() throws Exception {
    Files.writeString(root.resolve("log"), "short");
    Scanner scanner = new Scanner(root, new RecordAllPlan(), new ScanOptions(1, false));

    assertThatThrownBy(() -> scanner.prefixDigest(FsPath.of("/log"), Attribute.SHA256, 100))
        .isInstanceOf(UnreadableEntryException.class)
        .hasMessageContaining("fewer than 100");
  }

  @Test
  void missingRootIsOutputError() {
    Scanner scanner =
        new Scanner(root.resolve("absent"), new RecordAllPlan(), new ScanOptions(1, false));

    assertThatThrownBy(scanner::scan)
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("ENOENT");
  }

  @Test
  void namedDescentLooksUpOnlyNamedChildren() throws Exception {
    Files.createDirectory(root.resolve("d"));
    Files.writeString(root.resolve("d/wanted"), "w");
    Files.writeString(root.resolve("d/other"), "o");
    WalkPlan plan =
        new WalkPlan() {
          @Override
          public Set<Attribute> attributesFor(FsPath path) {
            return path.toString().equals("/d/wanted") || path.toString().equals("/d/absent")
                ? Set.of(Attribute.SIZE)
                : null;
          }

          @Override
          public Descent descentBelow(FsPath directory) {
            return directory.isRoot()
                ? new Descent.Named(List.of(new byte[] {'d'}))
                : new Descent.Named(
                    List.of(
                        "absent".getBytes(StandardCharsets.US_ASCII),
                        "wanted".getBytes(StandardCharsets.US_ASCII)));
          }

          @Override
          public boolean mayCrossInto(FsPath directory) {
            return false;
          }
        };

    List<Entry> entries = scanAll(new Scanner(root, plan, new ScanOptions(1, false)));

    assertThat(entries.stream().map(entry -> entry.path().toString())).containsExactly("/d/wanted");
  }
}
