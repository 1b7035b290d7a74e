package dev.telltale.report;

import static dev.telltale.testing.Entries.dir;
import static dev.telltale.testing.Entries.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.OutputException;
import dev.telltale.compare.AttributeChange;
import dev.telltale.compare.Change;
import dev.telltale.compare.Summary;
import dev.telltale.policy.Rule;
import dev.telltale.policy.Severity;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

class ReportFormatTest {
  private static final Rule ETC =
      new Rule(
          Rule.Kind.SUBTREE,
          "/etc",
          EnumSet.of(Attribute.MODE, Attribute.MTIME, Attribute.SHA256),
          Severity.HIGH,
          false,
          false,
          false,
          "debian.policy:12");
  private static final Rule USR =
      new Rule(
          Rule.Kind.SUBTREE,
          "/usr",
          EnumSet.of(Attribute.SIZE, Attribute.SHA256),
          Severity.MEDIUM,
          false,
          false,
          false,
          "debian.policy:20");

  private static final ReportContext CONTEXT =
      new ReportContext(
          "0.1.0",
          "dom0",
          Instant.parse("2026-12-04T10:00:00Z"),
          "/",
          "/var/lib/telltale/baseline.db",
          "ab".repeat(32),
          Instant.parse("2026-12-01T09:00:00Z"),
          "dom0",
          "SHA256:fingerprint",
          "embedded:debian",
          "cd".repeat(32),
          List.of());

  private static List<Change> sampleChanges() {
    Entry oldShadow = file("/etc/shadow", "mode=0640", "mtime=1.000000000", "sha256=aa");
    Entry newShadow = file("/etc/shadow", "mode=0640", "mtime=-2.500000000", "sha256=bb");
    return List.of(
        new Change.Changed(
            oldShadow,
            newShadow,
            List.of(
                new AttributeChange(Attribute.MTIME, "1.000000000", "-2.500000000"),
                new AttributeChange(Attribute.SHA256, "aa", "bb")),
            ETC),
        new Change.Added(file("/usr/bin/new\nline", "size=5", "sha256=cc"), USR),
        new Change.Removed(dir("/usr/lib/gone", "size=4096"), USR),
        new Change.Unreadable(
            null,
            file("/usr/sbin/secret").withError("open: Permission denied (EACCES)"),
            "open: Permission denied (EACCES)",
            USR));
  }

  private static String render(ReportFormat format) throws OutputException {
    StringWriter out = new StringWriter();
    Reporter reporter = format.open(out);
    reporter.start(CONTEXT);
    for (Change change : sampleChanges()) {
      reporter.change(change);
    }
    reporter.finish(new Summary(100, 1, 1, 1, 1));
    return out.toString();
  }

  /**
   * Returns the expected report. With {@code -Dtelltale.writeGolden=true} it first writes {@code
   * actual} as the new golden file, to be reviewed in the diff.
   */
  private static String golden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("telltale.writeGolden")) {
      Files.writeString(
          Path.of("src/test/resources/dev/telltale/report", name), actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = ReportFormatTest.class.getResourceAsStream(name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void textMatchesGoldenFile() throws Exception {
    String actual = render(ReportFormat.TEXT);

    assertThat(actual).isEqualTo(golden("check-report.txt", actual));
  }

  @Test
  void jsonMatchesGoldenFile() throws Exception {
    String actual = render(ReportFormat.JSON);

    assertThat(actual).isEqualTo(golden("check-report.json", actual));
  }

  @Test
  void ndjsonMatchesGoldenFile() throws Exception {
    String actual = render(ReportFormat.NDJSON);

    assertThat(actual).isEqualTo(golden("check-report.ndjson", actual));
  }

  @Test
  void ndjsonLinesAreEachOneDocument() throws Exception {
    String[] lines = render(ReportFormat.NDJSON).split("\n");

    assertThat(lines).hasSize(6);
    for (String line : lines) {
      assertThat(topLevelNames(line)).contains("@timestamp", "event", "host");
    }
  }

  @Test
  void textReportEscapesNewlineInName() throws Exception {
    String text = render(ReportFormat.TEXT);

    assertThat(text).contains("/usr/bin/new%0Aline");
    assertThat(text.lines()).noneMatch(line -> line.equals("line"));
  }

  private static List<String> topLevelNames(String json) {
    List<String> names = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), json)) {
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_OBJECT;
          token = parser.nextToken()) {
        names.add(parser.currentName());
        parser.nextToken();
        parser.skipChildren();
      }
      assertThat(parser.nextToken()).isNull();
    }
    return names;
  }
}
