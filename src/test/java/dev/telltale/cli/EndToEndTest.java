package dev.telltale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/** The whole main job through the command line, on a scratch tree read with --root. */
class EndToEndTest {
  private static final String POLICY =
      """
      # scratch policy
      CONTENT = type+mode+uid+gid+size+mtime+ctime+inode+nlink+target+sha256
      /srv    CONTENT   severity=high
      !/srv/cache
      """;

  @TempDir Path work;
  private Path root;
  private Path keys;
  private Path db;
  private Path policy;
  private Path passphrase;

  @BeforeEach
  void makeTree() throws IOException {
    root = Files.createDirectories(work.resolve("root"));
    keys = work.resolve("keys");
    db = work.resolve("baseline.db");
    policy = Files.writeString(work.resolve("scratch.policy"), POLICY);
    passphrase = Files.writeString(work.resolve("passphrase"), "correct horse battery\n");
    Path srv = Files.createDirectories(root.resolve("srv"));
    Files.writeString(srv.resolve("content"), "original content");
    Files.writeString(srv.resolve("modes"), "x");
    Files.writeString(srv.resolve("owned"), "x");
    Files.writeString(srv.resolve("doomed"), "x");
    Files.writeString(srv.resolve("becomes-dir"), "x");
    Files.writeString(srv.resolve("target-a"), "a");
    Files.writeString(srv.resolve("target-b"), "b");
    Files.createSymbolicLink(srv.resolve("link"), Path.of("target-a"));
    Files.createDirectories(srv.resolve("cache"));
    Files.writeString(srv.resolve("cache/noise"), "1");
  }

  private CliRun run(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private String[] common() {
    return new String[] {
      "--policy",
      policy.toString(),
      "--db",
      db.toString(),
      "--root",
      root.toString(),
      "--key-dir",
      keys.toString()
    };
  }

  private String[] withPassphrase(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--passphrase-file");
    all.add(passphrase.toString());
    return all.toArray(String[]::new);
  }

  private void keygenAndInit() {
    CliRun keygen =
        run("keygen", "--key-dir", keys.toString(), "--passphrase-file", passphrase.toString());
    assertThat(keygen.exitCode()).as(keygen.toString()).isZero();
    CliRun init = run("init", withPassphrase(common()));
    assertThat(init.exitCode()).as(init.toString()).isZero();
  }

  private CliRun check(String... extra) {
    List<String> args = new ArrayList<>(List.of(common()));
    args.addAll(List.of(extra));
    return run("check", args.toArray(String[]::new));
  }

  @Test
  void checkAfterInitIsClean() {
    keygenAndInit();

    CliRun check = check();

    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(check.out()).contains("No differences.");
  }

  @Test
  void eachModificationIsReportedOnce() throws IOException, InterruptedException {
    keygenAndInit();
    Path srv = root.resolve("srv");
    FileTime mtime = Files.getLastModifiedTime(srv.resolve("content"));
    Files.writeString(srv.resolve("content"), "altered content!");
    Files.setLastModifiedTime(srv.resolve("content"), mtime);
    Files.setPosixFilePermissions(
        srv.resolve("modes"), PosixFilePermissions.fromString("rwx------"));
    chown(srv.resolve("owned"), "12345:12345");
    Files.delete(srv.resolve("link"));
    Files.createSymbolicLink(srv.resolve("link"), Path.of("target-b"));
    Files.writeString(srv.resolve("added"), "new");
    Files.delete(srv.resolve("doomed"));
    Files.delete(srv.resolve("becomes-dir"));
    Files.createDirectory(srv.resolve("becomes-dir"));
    Files.writeString(srv.resolve("cache/noise"), "2");

    CliRun check = check("--format", "json");

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(7);
    Map<String, Map<String, Object>> changes = changesByPath(check.out());
    assertThat(changes.keySet())
        .containsExactlyInAnyOrder(
            "/srv",
            "/srv/content",
            "/srv/modes",
            "/srv/owned",
            "/srv/link",
            "/srv/added",
            "/srv/doomed",
            "/srv/becomes-dir");
    assertThat(changes.get("/srv/content").get("kind")).isEqualTo("changed");
    assertThat(attributes(changes, "/srv/content")).contains("sha256").doesNotContain("mtime");
    assertThat(attributes(changes, "/srv/modes")).contains("mode");
    assertThat(attributes(changes, "/srv/owned")).contains("uid", "gid");
    assertThat(attributes(changes, "/srv/link")).contains("target");
    assertThat(changes.get("/srv/added").get("kind")).isEqualTo("added");
    assertThat(changes.get("/srv/doomed").get("kind")).isEqualTo("removed");
    assertThat(attributes(changes, "/srv/becomes-dir")).contains("type");
  }

  @SuppressWarnings("unchecked")
  private static List<String> attributes(Map<String, Map<String, Object>> changes, String path) {
    return new ArrayList<>(((Map<String, Object>) changes.get(path).get("attributes")).keySet());
  }

  @Test
  void updateAcceptAllMakesNextCheckClean() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/added"), "new");

    CliRun update = run("update", withPassphrase(append(common(), "--accept-all")));

    assertThat(update.exitCode()).as(update.toString()).isZero();
    assertThat(check().exitCode()).isZero();
    try (var kept = Files.list(work)) {
      assertThat(kept.filter(p -> p.getFileName().toString().startsWith("baseline.db.")))
          .hasSize(1);
    }
  }

  @Test
  void updateFromReportAcceptsOnlyWhatItSaw() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/added"), "new");
    Files.writeString(root.resolve("srv/content"), "changed once");
    Path report = work.resolve("report.json");
    CliRun check = check("--format", "json", "--output", report.toString());
    assertThat(check.exitCode()).as(check.toString()).isEqualTo(5);
    Files.writeString(root.resolve("srv/content"), "changed twice, after the report");

    CliRun update = run("update", withPassphrase(append(common(), "--report", report.toString())));

    assertThat(update.exitCode()).as(update.toString()).isEqualTo(8);
    assertThat(update.err()).contains("/srv/content");
    CliRun after = check("--format", "json");
    assertThat(changesByPath(after.out()).keySet()).contains("/srv/content");
    assertThat(changesByPath(after.out()).keySet()).doesNotContain("/srv/added");
  }

  @Test
  void updateAcceptPathLeavesOthers() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/added"), "new");
    Files.writeString(root.resolve("srv/content"), "changed");

    CliRun update = run("update", withPassphrase(append(common(), "--accept", "/srv/added")));

    assertThat(update.exitCode()).as(update.toString()).isZero();
    assertThat(changesByPath(check("--format", "json").out()).keySet())
        .contains("/srv/content")
        .doesNotContain("/srv/added");
  }

  @Test
  void flippedBaselineByteIsNeverAReport() throws IOException {
    keygenAndInit();
    byte[] bytes = Files.readAllBytes(db);
    for (int offset : new int[] {0, 10, bytes.length / 2, bytes.length - 5}) {
      byte[] copy = bytes.clone();
      copy[offset] ^= 0x01;
      Files.write(db, copy);

      CliRun check = check();

      assertThat(check.exitCode()).as("offset " + offset + "\n" + check).isIn(19, 20);
    }
  }

  @Test
  void truncatedBaselineIsFormatError() throws IOException {
    keygenAndInit();
    byte[] bytes = Files.readAllBytes(db);
    Files.write(db, java.util.Arrays.copyOf(bytes, bytes.length - 20));

    assertThat(check().exitCode()).isIn(19, 20);
  }

  @Test
  void otherPublicKeyIsTamper() throws IOException {
    keygenAndInit();
    Path otherKeys = work.resolve("other-keys");
    run("keygen", "--key-dir", otherKeys.toString(), "--passphrase-file", passphrase.toString());

    CliRun check =
        run(
            "check",
            "--policy",
            policy.toString(),
            "--db",
            db.toString(),
            "--root",
            root.toString(),
            "--pub",
            otherKeys.resolve("telltale.pub").toString());

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(20);
  }

  @Test
  void wrongExpectedFingerprintIsTamper() {
    keygenAndInit();

    CliRun check = check("--expect-fingerprint", "SHA256:" + "A".repeat(43));

    assertThat(check.exitCode()).isEqualTo(20);
  }

  @Test
  void missingBaselineIsFormatError() {
    keygenAndInit();
    CliRun check =
        run(
            "check",
            "--policy",
            policy.toString(),
            "--db",
            work.resolve("none.db").toString(),
            "--root",
            root.toString(),
            "--key-dir",
            keys.toString());

    assertThat(check.exitCode()).isEqualTo(19);
  }

  @Test
  void wrongPassphraseIsKeyError() throws IOException {
    keygenAndInit();
    Files.writeString(passphrase, "wrong\n");

    CliRun update = run("update", withPassphrase(append(common(), "--accept-all")));

    assertThat(update.exitCode()).isEqualTo(21);
  }

  @Test
  void wrongPassphraseOnInitKeepsTheBaseline() throws IOException {
    keygenAndInit();
    byte[] before = Files.readAllBytes(db);
    Files.writeString(passphrase, "wrong\n");

    CliRun init = run("init", withPassphrase(append(common(), "--force")));

    assertThat(init.exitCode()).as(init.toString()).isEqualTo(21);
    assertThat(init.err()).contains("wrong passphrase");
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    try (var files = Files.list(work)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .filteredOn(name -> name.startsWith("baseline.db"))
          .containsExactly("baseline.db");
    }
  }

  @Test
  void invalidPolicyExits17WithLine() throws IOException {
    Files.writeString(policy, "/srv type+sha255\n");

    CliRun result = run("policy-check", "--policy", policy.toString());

    assertThat(result.exitCode()).isEqualTo(17);
    assertThat(result.err()).contains("scratch.policy:1");
  }

  @Test
  void unknownOptionExits16() {
    assertThat(CliRun.of("check", "--no-such-option").exitCode()).isEqualTo(16);
  }

  @Test
  void initRefusesToOverwriteBaseline() {
    keygenAndInit();

    CliRun again = run("init", withPassphrase(common()));

    assertThat(again.exitCode()).isEqualTo(16);
    assertThat(again.err()).contains("--force");
  }

  @Test
  void printDbVerifiesWithKey() {
    keygenAndInit();

    CliRun print = run("print-db", "--db", db.toString(), "--key-dir", keys.toString());

    assertThat(print.exitCode()).as(print.toString()).isZero();
    assertThat(print.out()).contains("verified with SHA256:").contains("/srv/content");
  }

  @Test
  void checkFindingsReachSealedLog() throws IOException {
    keygenAndInit();
    Path state = work.resolve("seal-state");
    Path log = work.resolve("alerts.log");
    CliRun seal = run("seal-init", "--log", log.toString(), "--state-dir", state.toString());
    assertThat(seal.exitCode()).as(seal.toString()).isZero();
    String key = seal.out().strip().lines().reduce((first, second) -> second).orElseThrow();
    Files.writeString(root.resolve("srv/added"), "new");

    CliRun check = check("--sink", "sealed:" + log, "--state-dir", state.toString());
    CliRun heartbeat = run("heartbeat", "--sink", "sealed:" + log, "--state-dir", state.toString());
    CliRun verify = run("log", "verify", "--log", log.toString(), "--seal-key", key);

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(5);
    assertThat(heartbeat.exitCode()).as(heartbeat.toString()).isZero();
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    String records = Files.readString(log);
    assertThat(records).contains("/srv/added");
    assertThat(records).contains("check-finished");
    assertThat(records)
        .containsPattern("\"last_check\":\\{\"finished\":\"[^\"]+\",\"exit_code\":5}");
  }

  @Test
  void tamperedBaselineIsSentAsError() throws IOException {
    keygenAndInit();
    Path state = work.resolve("seal-state");
    Path log = work.resolve("alerts.log");
    run("seal-init", "--log", log.toString(), "--state-dir", state.toString());
    byte[] bytes = Files.readAllBytes(db);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(db, bytes);

    CliRun check = check("--sink", "sealed:" + log, "--state-dir", state.toString());

    assertThat(check.exitCode()).isIn(19, 20);
    assertThat(Files.readString(log)).contains("check-failed");
  }

  @Test
  void narrowedPolicyCannotHideChange() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/content"), "tampered");
    Files.writeString(policy, POLICY + "!/srv/content\n");

    CliRun check = check();

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(8);
    assertThat(check.out()).contains("/srv/content").contains("does not cover");
  }

  @Test
  void updateAcceptsNarrowedPolicy() throws IOException {
    keygenAndInit();
    Files.writeString(policy, POLICY + "!/srv/content\n");

    CliRun update = run("update", withPassphrase(append(common(), "--accept-all")));

    assertThat(update.exitCode()).as(update.toString()).isZero();
    assertThat(check().exitCode()).isZero();
  }

  @Test
  void reportWithTrailingContentIsRejected() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/added"), "new");
    Path report = work.resolve("report.json");
    check("--format", "json", "--output", report.toString());
    Files.writeString(report, Files.readString(report) + "garbage");

    CliRun update = run("update", withPassphrase(append(common(), "--report", report.toString())));

    assertThat(update.exitCode()).as(update.toString()).isEqualTo(16);
  }

  @Test
  void reportWithDuplicateKeyIsRejected() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/added"), "new");
    Path report = work.resolve("report.json");
    check("--format", "json", "--output", report.toString());
    String json = Files.readString(report);
    Files.writeString(report, json.replaceFirst("\"kind\":", "\"kind\":\"removed\",\"kind\":"));

    CliRun update = run("update", withPassphrase(append(common(), "--report", report.toString())));

    assertThat(update.exitCode()).as(update.toString()).isEqualTo(16);
  }

  @Test
  void updateListsEachAcceptedChange() throws IOException {
    keygenAndInit();
    Files.writeString(root.resolve("srv/added"), "new");

    CliRun update = run("update", withPassphrase(append(common(), "--accept", "/srv/added")));

    assertThat(update.out()).contains("accepted added /srv/added");
  }

  @Test
  void acceptOfUnchangedPathIsReported() {
    keygenAndInit();

    CliRun update = run("update", withPassphrase(append(common(), "--accept", "/srv/nothing")));

    assertThat(update.exitCode()).as(update.toString()).isEqualTo(8);
    assertThat(update.err()).contains("/srv/nothing");
  }

  @Test
  void malformedExpectedFingerprintIsUsageError() {
    keygenAndInit();

    assertThat(check("--expect-fingerprint", "garbage").exitCode()).isEqualTo(16);
  }

  @Test
  void keyDirectoryAndPublicKeyTogetherAreUsageError() {
    keygenAndInit();

    assertThat(check("--pub", keys.resolve("telltale.pub").toString()).exitCode()).isEqualTo(16);
  }

  @Test
  void emptyRootIsUsageError() {
    keygenAndInit();

    CliRun result =
        run(
            "check",
            "--policy",
            policy.toString(),
            "--db",
            db.toString(),
            "--root",
            "",
            "--key-dir",
            keys.toString());

    assertThat(result.exitCode()).isEqualTo(16);
  }

  @Test
  void initCreatesBaselineDirectory() {
    run("keygen", "--key-dir", keys.toString(), "--passphrase-file", passphrase.toString());
    db = work.resolve("new/dir/baseline.db");

    CliRun init = run("init", withPassphrase(common()));

    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(db).isRegularFile();
  }

  @Test
  void baselineOnFifoIsNeverReplaced() throws IOException, InterruptedException {
    run("keygen", "--key-dir", keys.toString(), "--passphrase-file", passphrase.toString());
    db = work.resolve("fifo.db");
    Process mkfifo = new ProcessBuilder("mkfifo", db.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();

    CliRun init = run("init", withPassphrase(append(common(), "--force")));
    CliRun check = check();

    assertThat(init.exitCode()).as(init.toString()).isEqualTo(18);
    assertThat(check.exitCode()).as(check.toString()).isEqualTo(19);
    assertThat(Files.isRegularFile(db, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void swappedPublicKeyIsSentAsError() throws IOException {
    keygenAndInit();
    Path state = work.resolve("seal-state");
    Path log = work.resolve("alerts.log");
    run("seal-init", "--log", log.toString(), "--state-dir", state.toString());
    Path otherKeys = work.resolve("other-keys");
    run("keygen", "--key-dir", otherKeys.toString(), "--passphrase-file", passphrase.toString());
    Files.copy(
        otherKeys.resolve("telltale.pub"),
        keys.resolve("telltale.pub"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CliRun check = check("--sink", "sealed:" + log, "--state-dir", state.toString());

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(20);
    assertThat(Files.readString(log)).contains("check-failed");
  }

  private static String[] append(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void chown(Path path, String owner) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("chown", "-h", owner, path.toString()).inheritIO().start();
    assertThat(process.waitFor()).as("chown needs root").isZero();
  }

  /** Parses a JSON report into path → {kind, attributes}. */
  private static Map<String, Map<String, Object>> changesByPath(String json) {
    Map<String, Map<String, Object>> result = new HashMap<>();
    try (JsonParser parser =
        new JsonFactory()
            .createParser(ObjectReadContext.empty(), json.getBytes(StandardCharsets.UTF_8))) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (!name.equals("changes")) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          Map<String, Object> change = new HashMap<>();
          while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("attributes")) {
              Map<String, Object> attributes = new HashMap<>();
              while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                attributes.put(parser.currentName(), "");
                parser.nextToken();
                parser.skipChildren();
              }
              change.put("attributes", attributes);
            } else if (parser.currentToken() == JsonToken.VALUE_STRING) {
              change.put(field, parser.getString());
            } else {
              parser.skipChildren();
            }
          }
          result.put((String) change.get("path"), change);
        }
      }
    }
    return result;
  }
}
