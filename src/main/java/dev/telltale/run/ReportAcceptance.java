package dev.telltale.run;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import dev.telltale.compare.AttributeChange;
import dev.telltale.compare.Change;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Accepts exactly the changes listed in a JSON report of {@code check}, and each only while the
 * live entry is still what the report saw: the same kind of change, the same differing attributes,
 * the same new values. A report made against another baseline is rejected as a whole.
 */
public final class ReportAcceptance implements Acceptance {
  private static final long MAX_REPORT_BYTES = 1L << 30;

  /** A change as the report lists it: its kind and, per attribute, the old and new values. */
  private record Reported(String kind, Map<String, String[]> attributes) {}

  private final Path reportFile;
  private final Map<String, Reported> byPath;
  private final Map<String, Boolean> met = new HashMap<>();

  private ReportAcceptance(Path reportFile, Map<String, Reported> byPath) {
    this.reportFile = reportFile;
    this.byPath = byPath;
  }

  /**
   * Reads a JSON report and checks that it was made against the baseline with the given digest.
   *
   * @throws UsageException if the file is not a telltale JSON report, or names another baseline
   * @throws OutputException if the file cannot be read
   */
  public static ReportAcceptance read(Path reportFile, String baselineSha256)
      throws TelltaleException {
    try (InputStream in = Files.newInputStream(reportFile)) {
      if (Files.size(reportFile) > MAX_REPORT_BYTES) {
        throw new UsageException(
            "report " + reportFile + " is over " + MAX_REPORT_BYTES + " bytes: is it a report?");
      }
      JsonFactory factory =
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(16)
                      .maxStringLength(1 << 20)
                      .build())
              .build();
      try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), in)) {
        ReportAcceptance acceptance = parse(reportFile, parser, baselineSha256);
        if (parser.nextToken() != null) {
          throw new UsageException(
              "report "
                  + reportFile
                  + " has content after its JSON document: use the report as"
                  + " check wrote it");
        }
        return acceptance;
      }
    } catch (IOException e) {
      throw new OutputException("cannot read report " + reportFile + ": " + e.getMessage(), e);
    } catch (JacksonException e) {
      throw new UsageException(
          "report " + reportFile + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static ReportAcceptance parse(Path file, JsonParser parser, String baselineSha256)
      throws UsageException {
    expect(file, parser.nextToken(), JsonToken.START_OBJECT, "a JSON object");
    String format = null;
    String formatVersion = null;
    String reportBaseline = null;
    boolean hasChanges = false;
    Map<String, Reported> byPath = new TreeMap<>();
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "format" -> format = parser.getValueAsString();
        case "format_version" -> formatVersion = parser.getValueAsString();
        case "baseline" -> reportBaseline = readBaselineDigest(file, parser, value);
        case "changes" -> {
          readChanges(file, parser, value, byPath);
          hasChanges = true;
        }
        default -> parser.skipChildren();
      }
    }
    if (!"telltale-report".equals(format)) {
      throw new UsageException(
          "report "
              + file
              + " is not a telltale JSON report: make it with 'telltale check --format json'");
    }
    if (!"1".equals(formatVersion) || !hasChanges) {
      throw new UsageException(
          "report "
              + file
              + " is not a version 1 telltale JSON report with a 'changes' list: make it with"
              + " this version's 'telltale check --format json'");
    }
    if (!baselineSha256.equals(reportBaseline)) {
      throw new UsageException(
          "report "
              + file
              + " was made against baseline sha256 "
              + reportBaseline
              + ", not the current one ("
              + baselineSha256
              + "): run check again and use its report");
    }
    return new ReportAcceptance(file, byPath);
  }

  private static String readBaselineDigest(Path file, JsonParser parser, JsonToken value)
      throws UsageException {
    expect(file, value, JsonToken.START_OBJECT, "'baseline' as an object");
    String digest = null;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (name.equals("sha256")) {
        digest = parser.getValueAsString();
      } else {
        parser.skipChildren();
      }
    }
    return digest;
  }

  private static void readChanges(
      Path file, JsonParser parser, JsonToken value, Map<String, Reported> byPath)
      throws UsageException {
    expect(file, value, JsonToken.START_ARRAY, "'changes' as an array");
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      String path = null;
      String kind = null;
      Map<String, String[]> attributes = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (name) {
          case "path" -> path = parser.getValueAsString();
          case "kind" -> kind = parser.getValueAsString();
          case "attributes" -> readAttributes(file, parser, token, attributes);
          default -> parser.skipChildren();
        }
      }
      if (path == null || kind == null) {
        throw new UsageException("report " + file + " has a change without 'path' or 'kind'");
      }
      if (byPath.put(path, new Reported(kind, attributes)) != null) {
        throw new UsageException("report " + file + " lists " + path + " twice");
      }
    }
  }

  private static void readAttributes(
      Path file, JsonParser parser, JsonToken value, Map<String, String[]> attributes)
      throws UsageException {
    expect(file, value, JsonToken.START_OBJECT, "'attributes' as an object");
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String attribute = parser.currentName();
      expect(file, parser.nextToken(), JsonToken.START_OBJECT, "'" + attribute + "' as an object");
      String[] pair = new String[2];
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String side = parser.currentName();
        JsonToken token = parser.nextToken();
        String text = token == JsonToken.VALUE_NULL ? null : parser.getValueAsString();
        if (side.equals("old")) {
          pair[0] = text;
        } else if (side.equals("new")) {
          pair[1] = text;
        } else {
          parser.skipChildren();
        }
      }
      attributes.put(attribute, pair);
    }
  }

  private static void expect(Path file, JsonToken actual, JsonToken expected, String what)
      throws UsageException {
    if (actual != expected) {
      throw new UsageException("report " + file + " is malformed: expected " + what);
    }
  }

  @Override
  public Decision judge(Change change) {
    String path = change.path().toString();
    Reported reported = byPath.get(path);
    if (reported == null) {
      return Decision.SKIP;
    }
    met.put(path, true);
    if (!reported.kind().equals(change.kind())) {
      return new Decision.Refuse(
          "the report saw it " + reported.kind() + ", it is now " + change.kind());
    }
    Map<String, String[]> live = liveAttributes(change);
    if (!sameAttributes(reported.attributes(), live)) {
      return new Decision.Refuse("it changed again since the report was made");
    }
    return Decision.ACCEPT;
  }

  /** Returns the change's attributes in the form the report writes them. */
  private static Map<String, String[]> liveAttributes(Change change) {
    Map<String, String[]> attributes = new LinkedHashMap<>();
    switch (change) {
      case Change.Added added -> putAll(attributes, added.after(), false);
      case Change.Removed removed -> putAll(attributes, removed.before(), true);
      case Change.Changed changed -> {
        for (AttributeChange difference : changed.differences()) {
          attributes.put(
              difference.attribute().policyName(),
              new String[] {difference.before(), difference.after()});
        }
      }
      case Change.Unreadable unreadable -> {}
    }
    return attributes;
  }

  private static void putAll(Map<String, String[]> attributes, Entry entry, boolean asOld) {
    for (Map.Entry<Attribute, String> value : entry.values().entrySet()) {
      String[] pair =
          asOld ? new String[] {value.getValue(), null} : new String[] {null, value.getValue()};
      attributes.put(value.getKey().policyName(), pair);
    }
  }

  private static boolean sameAttributes(Map<String, String[]> a, Map<String, String[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, String[]> entry : a.entrySet()) {
      String[] other = b.get(entry.getKey());
      if (!Objects.equals(entry.getValue()[0], other[0])
          || !Objects.equals(entry.getValue()[1], other[1])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<String> unmet() {
    return byPath.keySet().stream()
        .filter(path -> !met.containsKey(path))
        .map(path -> path + ": listed in " + reportFile + " but no longer different")
        .toList();
  }
}
