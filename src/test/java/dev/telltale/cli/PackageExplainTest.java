package dev.telltale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.testing.JsonTree;
import dev.telltale.testing.SignedRpms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A system update simulated in a scratch root: a signed package upgraded with {@code rpm -U}, and
 * one file changed by hand. The package's changes must be explained, the hand-made one must not.
 */
class PackageExplainTest {
  private static final String SPEC_BODY =
      """
      %install
      mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/upd
      printf '#!/bin/sh\\necho %{ver}\\n' > %{buildroot}/usr/bin/upd
      chmod 0755 %{buildroot}/usr/bin/upd
      printf 'data %{ver}\\n' > %{buildroot}/usr/share/upd/data
      printf 'same\\n' > %{buildroot}/usr/share/upd/same

      %files
      %dir /usr/bin
      %attr(0755,root,root) /usr/bin/upd
      %dir /usr/share/upd
      /usr/share/upd/data
      /usr/share/upd/same
      """;

  private static final String POLICY =
      """
      CONTENT = type+mode+uid+gid+size+mtime+ctime+inode+nlink+target+sha256
      /usr    CONTENT   severity=high
      """;

  private static final String V1 = "telltale-upd-1.0-1.noarch";
  private static final String V2 = "telltale-upd-2.0-1.noarch";

  @TempDir static Path shared;
  private static SignedRpms rpms;
  private static Path version1;
  private static Path version1Rebuilt;
  private static Path version2;

  @TempDir Path work;
  private Path root;

  @BeforeAll
  static void buildPackages() throws Exception {
    rpms = SignedRpms.create(shared);
    version1 = rpms.build("telltale-upd", "1.0", "host-a", SPEC_BODY);
    version1Rebuilt = rpms.build("telltale-upd", "1.0", "host-b", SPEC_BODY);
    version2 = rpms.build("telltale-upd", "2.0", "host-a", SPEC_BODY);
  }

  @BeforeEach
  void installVersion1() throws Exception {
    root = Files.createDirectories(work.resolve("root"));
    SignedRpms.rpm(root, "-i", version1.toString());
    Files.writeString(root.resolve("usr/bin/handmade"), "made by hand\n");
    Files.writeString(work.resolve("policy"), POLICY);
    Files.writeString(work.resolve("passphrase"), "correct horse battery\n");
    CliRun keygen = CliRun.of(withPassphrase("keygen", "--key-dir", keyDir()));
    assertThat(keygen.exitCode()).as(keygen.toString()).isZero();
    CliRun init = CliRun.of(withPassphrase(common("init", "--keyring", key())));
    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(init.out()).contains("packages: 1 from rpmdb");
  }

  private String keyDir() {
    return work.resolve("keys").toString();
  }

  private static String key() {
    return rpms.publicKey().toString();
  }

  private String[] common(String command, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--policy",
                work.resolve("policy").toString(),
                "--db",
                work.resolve("baseline.db").toString(),
                "--root",
                root.toString(),
                "--key-dir",
                keyDir()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private String[] withPassphrase(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--passphrase-file");
    all.add(work.resolve("passphrase").toString());
    return all.toArray(String[]::new);
  }

  private void upgradeAndEditByHand() throws Exception {
    SignedRpms.rpm(root, "-U", version2.toString());
    Files.writeString(root.resolve("usr/bin/handmade"), "changed by hand\n");
  }

  private CliRun checkJson() {
    return CliRun.of(common("check", "--explain-packages", "--keyring", key(), "--format", "json"));
  }

  /** Returns each change's explained_by value (the text "null" when unexplained) by path. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> explainedByPath(Map<String, Object> report) {
    Map<String, String> byPath = new HashMap<>();
    for (Object item : (List<Object>) report.get("changes")) {
      Map<String, Object> change = (Map<String, Object>) item;
      byPath.put((String) change.get("path"), String.valueOf(change.get("explained_by")));
    }
    return byPath;
  }

  @SuppressWarnings("unchecked")
  private static List<String> packageChanges(Map<String, Object> report) {
    Map<String, Object> packages = (Map<String, Object>) report.get("packages");
    List<String> changes = new ArrayList<>();
    for (Object item : (List<Object>) packages.get("changes")) {
      Map<String, Object> change = (Map<String, Object>) item;
      changes.add(change.get("kind") + " " + change.get("nevra"));
    }
    return changes;
  }

  @SuppressWarnings("unchecked")
  private static long summaryCount(Map<String, Object> report, String name) {
    return (Long) ((Map<String, Object>) report.get("summary")).get(name);
  }

  @Test
  void checkAfterInitHasNoPackageChanges() {
    CliRun check = checkJson();

    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(packageChanges(JsonTree.object(check.out()))).isEmpty();
  }

  @Test
  void upgradedFilesAreExplained() throws Exception {
    upgradeAndEditByHand();

    CliRun check = checkJson();

    Map<String, String> explained = explainedByPath(JsonTree.object(check.out()));
    assertThat(explained).as(check.toString()).containsEntry("/usr/bin/upd", V2);
    assertThat(explained).containsEntry("/usr/share/upd/data", V2);
    assertThat(explained).containsEntry("/usr/share/upd/same", V2);
  }

  @Test
  void handEditedFileIsUnexplained() throws Exception {
    upgradeAndEditByHand();

    CliRun check = checkJson();

    Map<String, String> explained = explainedByPath(JsonTree.object(check.out()));
    assertThat(explained).as(check.toString()).containsEntry("/usr/bin/handmade", "null");
    assertThat(explained.values()).as(check.toString()).containsOnlyOnce("null");
  }

  @Test
  void upgradeShowsAsPackageChanges() throws Exception {
    upgradeAndEditByHand();

    CliRun check = checkJson();

    Map<String, Object> report = JsonTree.object(check.out());
    assertThat(packageChanges(report)).containsExactly("removed " + V1, "added " + V2);
    assertThat(summaryCount(report, "unexplained")).isEqualTo(1);
    assertThat(check.exitCode()).isEqualTo(1 | 2 | 4);
  }

  @Test
  void textReportSeparatesExplained() throws Exception {
    upgradeAndEditByHand();

    CliRun check = CliRun.of(common("check", "--explain-packages", "--keyring", key()));

    String text = check.out();
    assertThat(text).as(check.toString()).contains("== explained by verified packages (");
    assertThat(text).contains("explained by package " + V2);
    assertThat(text.indexOf("changed    /usr/bin/handmade"))
        .isLessThan(text.indexOf("== explained by verified packages"));
  }

  @Test
  void acceptExplainedLeavesHandEdit() throws Exception {
    upgradeAndEditByHand();

    CliRun update =
        CliRun.of(withPassphrase(common("update", "--accept-explained", "--keyring", key())));
    assertThat(update.exitCode()).as(update.toString()).isZero();
    CliRun check = checkJson();

    Map<String, Object> report = JsonTree.object(check.out());
    assertThat(explainedByPath(report).keySet())
        .as(check.toString())
        .containsExactly("/usr/bin/handmade");
    assertThat(packageChanges(report)).isEmpty();
    assertThat(check.exitCode()).isEqualTo(4);
  }

  @Test
  void reinstalledHeaderIsReplaced() throws Exception {
    SignedRpms.rpm(root, "-U", "--replacepkgs", version1Rebuilt.toString());

    CliRun check = checkJson();

    assertThat(packageChanges(JsonTree.object(check.out())))
        .as(check.toString())
        .containsExactly("replaced " + V1);
    assertThat(check.exitCode() & 4).isEqualTo(4);
  }

  @Test
  void checkWithoutKeyringComparesHeaders() throws Exception {
    SignedRpms.rpm(root, "-e", "telltale-upd");

    CliRun check = CliRun.of(common("check", "--format", "json"));

    assertThat(packageChanges(JsonTree.object(check.out())))
        .as(check.toString())
        .containsExactly("removed " + V1);
    assertThat(check.exitCode() & 2).isEqualTo(2);
  }

  @Test
  void explainWithoutKeyringIsUsageError() {
    CliRun check = CliRun.of(common("check", "--explain-packages"));

    assertThat(check.exitCode()).isEqualTo(16);
    assertThat(check.err()).contains("--keyring");
  }

  @Test
  void wrongKeyExplainsNothing() throws Exception {
    upgradeAndEditByHand();
    SignedRpms other = SignedRpms.create(Files.createDirectories(work.resolve("other")));

    CliRun check =
        CliRun.of(
            common(
                "check",
                "--explain-packages",
                "--keyring",
                other.publicKey().toString(),
                "--format",
                "json"));

    Map<String, Object> report = JsonTree.object(check.out());
    assertThat(summaryCount(report, "explained")).as(check.toString()).isZero();
    assertThat(explainedByPath(report).values()).containsOnly("null");
  }
}
