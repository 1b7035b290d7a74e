package dev.telltale.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.alert.Alerts;
import dev.telltale.cli.Main;
import dev.telltale.crypto.KeyFiles;
import dev.telltale.policy.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scratch tree with a signed baseline, a sealed chain and a watcher on it that sends its records
 * to a {@code file:} sink, which the tests read.
 */
final class WatchFixture {
  static final String POLICY =
      """
      # ctime is left out so that a chmod undone matches the baseline again
      CONTENT = type+mode+uid+gid+size+mtime+sha256
      /srv      CONTENT  severity=high realtime
      !/srv/cache
      /opt      CONTENT
      """;

  /** One record of the sink file: its kind and its JSON payload. */
  record Record(String kind, String data) {}

  final Path work;
  final Path root;
  final Path policyFile;
  final Path keys;
  final Path baseline;
  final Path state;
  final Path log;
  private Alerts alerts;
  private Watcher watcher;
  private Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  final StringWriter err = new StringWriter();

  /** How the watcher under test gets its events: one of the mechanisms and its marks. */
  enum Setup {
    INOTIFY(Mechanism.INOTIFY, true, "\"mechanism\":\"inotify\",\"directories\""),
    FANOTIFY_FILESYSTEM_MARKS(
        Mechanism.FANOTIFY, true, "\"mechanism\":\"fanotify\",\"marks\":\"filesystem\""),
    FANOTIFY_DIRECTORY_MARKS(
        Mechanism.FANOTIFY, false, "\"mechanism\":\"fanotify\",\"marks\":\"directory\""),
    /** What {@code telltale watch} uses by default; as root, fanotify with file system marks. */
    AUTO(Mechanism.AUTO, true, "\"mechanism\":\"fanotify\",\"marks\":\"filesystem\"");

    final Mechanism mechanism;
    final boolean filesystemMarks;

    /** The part of the watch.start record that names the mechanism. */
    final String startFragment;

    Setup(Mechanism mechanism, boolean filesystemMarks, String startFragment) {
      this.mechanism = mechanism;
      this.filesystemMarks = filesystemMarks;
      this.startFragment = startFragment;
    }
  }

  final Setup setup;

  WatchFixture(Path work) throws IOException {
    this(work, Setup.INOTIFY);
  }

  WatchFixture(Path work, Setup setup) throws IOException {
    this.work = work;
    this.setup = setup;
    root = Files.createDirectories(work.resolve("root"));
    policyFile = Files.writeString(work.resolve("watch.policy"), POLICY);
    keys = work.resolve("keys");
    baseline = work.resolve("baseline.db");
    state = work.resolve("seal-state");
    log = work.resolve("alerts.log");
    Files.createDirectories(root.resolve("srv/cache"));
    Files.createDirectories(root.resolve("srv/sub"));
    Files.createDirectories(root.resolve("opt"));
    Files.writeString(root.resolve("srv/a"), "alpha");
    Files.writeString(root.resolve("srv/sub/b"), "bravo");
    Files.writeString(root.resolve("opt/c"), "charlie");
  }

  /** Generates a key, records the baseline and starts a chain. */
  void init() throws IOException {
    Path passphrase = Files.writeString(work.resolve("passphrase"), "correct horse battery\n");
    cli("keygen", "--key-dir", keys.toString(), "--passphrase-file", passphrase.toString());
    cli(
        "init",
        "--policy",
        policyFile.toString(),
        "--db",
        baseline.toString(),
        "--root",
        root.toString(),
        "--key-dir",
        keys.toString(),
        "--passphrase-file",
        passphrase.toString());
    cli(
        "seal-init",
        "--log",
        work.resolve("sealed.log").toString(),
        "--state-dir",
        state.toString());
  }

  static void cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as("telltale %s: %s", args[0], err).isZero();
  }

  /** Verifies the baseline and places the watches, without handling events yet. */
  Watcher open() throws Exception {
    alerts = Alerts.open(List.of("file:" + log), state);
    watcher =
        Watcher.start(
            Policy.load(policyFile),
            root,
            baseline,
            KeyFiles.loadVerifyKey(keys.resolve(KeyFiles.PUBLIC_KEY_FILE)),
            "test",
            setup.mechanism,
            setup.filesystemMarks,
            alerts,
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true));
    return watcher;
  }

  /** Handles events in a thread of its own until {@link #close}. */
  void run() {
    thread =
        Thread.ofPlatform()
            .name("watch-under-test")
            .start(
                () -> {
                  try {
                    watcher.run();
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
  }

  List<Record> records() throws IOException {
    List<Record> records = new ArrayList<>();
    if (!Files.exists(log)) {
      return records;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
      int kindStart = line.indexOf(" kind=") + 6;
      String kind = line.substring(kindStart, line.indexOf(' ', kindStart));
      int dataStart = line.indexOf(" data=") + 6;
      records.add(new Record(kind, line.substring(dataStart, line.lastIndexOf(" seal="))));
    }
    return records;
  }

  /** Returns the records of a kind whose payload contains every fragment. */
  List<Record> records(String kind, String... fragments) throws IOException {
    List<Record> matching = new ArrayList<>();
    for (Record record : records()) {
      if (record.kind().equals(kind) && containsAll(record.data(), fragments)) {
        matching.add(record);
      }
    }
    return matching;
  }

  private static boolean containsAll(String data, String... fragments) {
    for (String fragment : fragments) {
      if (!data.contains(fragment)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until a record of the kind with every fragment arrives and returns the milliseconds
   * waited, or -1 after {@code timeoutMillis}.
   */
  long awaitRecord(long timeoutMillis, String kind, String... fragments)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    while (true) {
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      if (!records(kind, fragments).isEmpty()) {
        return elapsedMillis;
      }
      if (elapsedMillis > timeoutMillis || failure.get() != null) {
        return -1;
      }
      Thread.sleep(5);
    }
  }

  /** Fragment that matches a change event's kind and path. */
  static String[] change(String action, String path) {
    return new String[] {"\"action\":\"" + action + "\"", "\"path\":\"" + path + "\""};
  }

  Throwable failure() {
    return failure.get();
  }

  void close() throws InterruptedException {
    if (watcher != null) {
      watcher.stop("test finished");
      if (thread != null) {
        thread.join(10_000);
      }
      watcher.close();
    }
    if (alerts != null) {
      alerts.close();
    }
  }
}
