package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import dev.telltale.testing.JsonTree;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON output of {@code packages verify} on a scratch root with one changed file. */
class VerifyJsonTest {
  @TempDir Path temp;
  private Map<String, Object> report;
  private int exitCode;

  @BeforeEach
  void verify() throws Exception {
    ScratchRoot scratch = ScratchRoot.install(temp);
    Files.writeString(scratch.root.resolve("usr/bin/fimtest-data"), "DATA\n");
    StringWriter out = new StringWriter();
    exitCode =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "packages",
            "verify",
            "--root",
            scratch.root.toString(),
            "--keyring",
            Fixtures.copy(Fixtures.FIMTEST_KEY, temp).toString(),
            "--format",
            "json");
    report = JsonTree.object(out.toString());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> onlyPackage() {
    List<Object> packages = (List<Object>) report.get("packages");
    assertThat(packages).hasSize(1);
    return (Map<String, Object>) packages.getFirst();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> file(String path) {
    for (Object item : (List<Object>) onlyPackage().get("files")) {
      Map<String, Object> file = (Map<String, Object>) item;
      if (path.equals(file.get("path"))) {
        return file;
      }
    }
    throw new AssertionError(path + " not in " + report);
  }

  @Test
  void backendIsSqlite() {
    assertThat(report.get("backend")).isEqualTo("rpm-sqlite");
  }

  @Test
  void exitCodeFieldEqualsExitCode() {
    assertThat(report.get("exitCode")).isEqualTo((long) exitCode);
  }

  @Test
  void changedContentSetsChangedBit() {
    assertThat(exitCode).isEqualTo(4);
  }

  @Test
  void headerIsVerified() {
    assertThat(onlyPackage().get("verified")).isEqualTo(true);
  }

  @Test
  void headerNamesPackage() {
    assertThat(onlyPackage().get("nevra")).isEqualTo("fimtest-1.0-1.noarch");
  }

  @Test
  void changedFileHasStatusChanged() {
    assertThat(file("/usr/bin/fimtest-data").get("status")).isEqualTo("changed");
  }

  @Test
  void changedFileLettersShowDigest() {
    assertThat((String) file("/usr/bin/fimtest-data").get("letters")).contains("5");
  }

  @Test
  @SuppressWarnings("unchecked")
  void changedFileStatesExpectedDigest() {
    Map<String, Object> expected =
        (Map<String, Object>) file("/usr/bin/fimtest-data").get("expected");

    assertThat(expected.get("digestAlgorithm")).isEqualTo("sha256");
  }

  @Test
  @SuppressWarnings("unchecked")
  void unchangedFilesAreNotListed() {
    List<Object> files = (List<Object>) onlyPackage().get("files");

    assertThat(files)
        .extracting(item -> ((Map<String, Object>) item).get("path"))
        .doesNotContain("/usr/bin/fimtest");
  }
}
