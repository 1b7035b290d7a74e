package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import dev.telltale.testing.DebianPackages;
import dev.telltale.testing.JsonTree;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packages verify} on this machine's own /var/lib/dpkg finds the same changed and missing
 * files as {@code debsums -ca}, which checks conffiles too.
 */
class DebsumsComparisonTest {
  private static final Pattern MISSING =
      Pattern.compile("^debsums: missing file (.+) \\(from .+ package\\)$");

  @TempDir static Path temp;
  private static Set<String> debsumsChanged = new TreeSet<>();
  private static Set<String> debsumsMissing = new TreeSet<>();
  private static Set<String> telltaleChanged = new TreeSet<>();
  private static Set<String> telltaleMissing = new TreeSet<>();

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void runBoth() throws Exception {
    DebianPackages.require("debsums", "debsums");
    assertThat(Path.of("/var/lib/dpkg/status")).as("this test needs a Debian host").exists();
    Path stdout = temp.resolve("debsums.out");
    Path stderr = temp.resolve("debsums.err");
    Process debsums =
        new ProcessBuilder("debsums", "-ca")
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    debsums.getOutputStream().close();
    // debsums exits 2 when files differ and 1 on other errors; only its lists matter here.
    debsums.waitFor();
    debsumsChanged.addAll(Files.readAllLines(stdout, StandardCharsets.UTF_8));
    for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
      Matcher matcher = MISSING.matcher(line);
      if (matcher.matches()) {
        debsumsMissing.add(matcher.group(1));
      }
    }

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main.run(
        new PrintWriter(out),
        new PrintWriter(err),
        "packages",
        "verify",
        "--admindir",
        "/var/lib/dpkg",
        "--format",
        "json");
    Map<String, Object> report = JsonTree.object(out.toString());
    for (Object item : (List<Object>) report.get("packages")) {
      for (Object fileItem : (List<Object>) ((Map<String, Object>) item).get("files")) {
        Map<String, Object> file = (Map<String, Object>) fileItem;
        String path = unescape((String) file.get("path"));
        switch ((String) file.get("status")) {
          case "changed" -> telltaleChanged.add(path);
          case "missing" -> telltaleMissing.add(path);
          default -> {}
        }
      }
    }
  }

  /** Decodes telltale's %XX escape, since debsums prints raw names. */
  private static String unescape(String escaped) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '%' && i + 2 < escaped.length()) {
        bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void changedFilesEqualDebsums() {
    assertThat(telltaleChanged).isEqualTo(debsumsChanged);
  }

  @Test
  void missingFilesEqualDebsums() {
    assertThat(telltaleMissing).isEqualTo(debsumsMissing);
  }
}
