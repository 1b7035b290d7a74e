package dev.telltale.report;

import dev.telltale.OutputException;
import dev.telltale.compare.Change;
import dev.telltale.compare.PackageChange;
import dev.telltale.compare.Summary;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * One JSON event per line with Elastic Common Schema field names, for collectors that aggregate
 * many hosts: a {@code check-started} event, one event per change, and a {@code check-finished}
 * event with the summary. The alert sinks carry the same events.
 */
public final class NdjsonReporter implements Reporter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final Writer out;
  private ReportContext context;

  NdjsonReporter(Writer out) {
    this.out = out;
  }

  @Override
  public void start(ReportContext reportContext) throws OutputException {
    this.context = reportContext;
    writeLine(startEvent(reportContext));
    for (PackageChange change : reportContext.packageChanges()) {
      writeLine(packageEvent(reportContext, change));
    }
  }

  /** Returns one event per change of the installed package set, each a single line of JSON. */
  public static List<String> packageEventsJson(ReportContext context) {
    List<String> events = new ArrayList<>();
    for (PackageChange change : context.packageChanges()) {
      events.add(toJson(packageEvent(context, change)));
    }
    return events;
  }

  /** Returns the {@code check-started} event as a single line of JSON, without the newline. */
  public static String startEventJson(ReportContext context) {
    return toJson(startEvent(context));
  }

  private static Map<String, Object> startEvent(ReportContext reportContext) {
    Map<String, Object> event = base(reportContext, "check-started", "info");
    put(event, "telltale.baseline.path", reportContext.baselinePath());
    put(event, "telltale.baseline.created", iso(reportContext));
    put(event, "telltale.policy.source", reportContext.policySource());
    put(event, "telltale.policy.sha256", reportContext.policySha256());
    put(event, "telltale.root", reportContext.rootDirectory());
    if (!reportContext.warnings().isEmpty()) {
      put(event, "telltale.warnings", List.copyOf(reportContext.warnings()));
    }
    return event;
  }

  @Override
  public void change(Change change) throws OutputException {
    writeLine(changeEvent(context, change));
  }

  @Override
  public void change(Change change, String explainedBy) throws OutputException {
    writeLine(explainedChangeEvent(context, change, explainedBy));
  }

  /**
   * Returns the ECS event for a change that a package explains, or not when {@code explainedBy} is
   * null, as a single line of JSON.
   */
  public static String changeEventJson(ReportContext context, Change change, String explainedBy) {
    return toJson(explainedChangeEvent(context, change, explainedBy));
  }

  private static Map<String, Object> explainedChangeEvent(
      ReportContext context, Change change, String explainedBy) {
    Map<String, Object> event = changeEvent(context, change);
    put(event, "telltale.explained_by", explainedBy);
    return event;
  }

  private static Map<String, Object> packageEvent(ReportContext context, PackageChange change) {
    String type =
        switch (change.kind()) {
          case ADDED -> "installation";
          case REMOVED -> "deletion";
          case REPLACED -> "change";
        };
    Map<String, Object> event = base(context, "package-" + change.kind().label(), type);
    put(event, "event.kind", "alert");
    put(event, "event.category", List.of("package"));
    put(event, "telltale.package.nevra", change.nevra());
    put(event, "telltale.package.source", context.packageSource());
    put(event, "telltale.package.old_sha256", change.beforeSha256());
    put(event, "telltale.package.new_sha256", change.afterSha256());
    return event;
  }

  @Override
  public void finish(Summary summary) throws OutputException {
    writeLine(finishEvent(context, summary));
    try {
      out.flush();
    } catch (IOException e) {
      throw new OutputException("cannot write the report: " + e.getMessage(), e);
    }
  }

  /** Returns the {@code check-finished} event as a single line of JSON, without the newline. */
  public static String finishEventJson(ReportContext context, Summary summary) {
    return toJson(finishEvent(context, summary));
  }

  private static Map<String, Object> finishEvent(ReportContext context, Summary summary) {
    Map<String, Object> event = base(context, "check-finished", "info");
    put(event, "event.outcome", summary.isClean() ? "success" : "failure");
    put(event, "telltale.summary.compared", summary.compared());
    put(event, "telltale.summary.added", summary.added());
    put(event, "telltale.summary.removed", summary.removed());
    put(event, "telltale.summary.changed", summary.changed());
    put(event, "telltale.summary.unreadable", summary.unreadable());
    put(event, "telltale.summary.explained", summary.explained());
    put(event, "telltale.summary.unexplained", summary.unexplained());
    put(event, "telltale.summary.packages_added", summary.packagesAdded());
    put(event, "telltale.summary.packages_removed", summary.packagesRemoved());
    put(event, "telltale.summary.packages_replaced", summary.packagesReplaced());
    put(event, "telltale.summary.exit_code", (long) summary.exitCode());
    return event;
  }

  /** Returns the ECS event for one change as a single line of JSON, without the newline. */
  public static String changeEventJson(ReportContext context, Change change) {
    return toJson(changeEvent(context, change));
  }

  private static Map<String, Object> changeEvent(ReportContext context, Change change) {
    String type =
        switch (change) {
          case Change.Added a -> "creation";
          case Change.Removed r -> "deletion";
          case Change.Changed c -> "change";
          case Change.Unreadable u -> "info";
        };
    Map<String, Object> event = base(context, change.kind(), type);
    put(event, "event.kind", "alert");
    put(event, "event.severity", (long) change.severity().ordinal() + 1);
    Entry entry =
        switch (change) {
          case Change.Added added -> added.after();
          case Change.Removed removed -> removed.before();
          case Change.Changed changed -> changed.after();
          case Change.Unreadable unreadable -> unreadable.after();
        };
    put(event, "file.path", change.path().toString());
    for (Map.Entry<Attribute, String> value : entry.values().entrySet()) {
      put(event, value.getKey().ecsField(), ecsValue(value.getKey(), value.getValue()));
    }
    put(event, "rule.name", change.rule().pattern());
    put(event, "rule.id", change.rule().source());
    put(event, "telltale.severity", change.severity().label());
    if (change instanceof Change.Changed changed) {
      Map<String, Object> differences = new LinkedHashMap<>();
      for (var difference : changed.differences()) {
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("old", difference.before());
        pair.put("new", difference.after());
        differences.put(difference.attribute().policyName(), pair);
      }
      put(event, "telltale.changes", differences);
    }
    if (change instanceof Change.Unreadable unreadable) {
      put(event, "error.message", unreadable.reason());
    }
    return event;
  }

  private static Object ecsValue(Attribute attribute, String value) {
    return switch (attribute) {
      case SIZE -> parseLongOr(value);
      case MTIME, CTIME -> {
        var time = Values.toInstant(value);
        yield time == null ? value : Values.NANOSECOND_TIME.format(time);
      }
      case FLAGS -> value.isEmpty() ? List.of() : List.of(value.split(","));
      default -> value;
    };
  }

  private static Object parseLongOr(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static String iso(ReportContext context) {
    return DateTimeFormatter.ISO_INSTANT.format(context.baselineCreated());
  }

  private static Map<String, Object> base(ReportContext context, String action, String type) {
    Map<String, Object> event = new LinkedHashMap<>();
    put(event, "@timestamp", DateTimeFormatter.ISO_INSTANT.format(context.checkedAt()));
    put(event, "event.kind", "event");
    put(event, "event.category", List.of("file"));
    put(event, "event.type", List.of(type));
    put(event, "event.action", action);
    put(event, "event.module", "telltale");
    put(event, "event.dataset", "telltale.check");
    put(event, "host.name", context.host());
    put(event, "agent.type", "telltale");
    put(event, "agent.version", context.toolVersion());
    put(event, "telltale.baseline.sha256", context.baselineSha256());
    put(event, "telltale.key_fingerprint", context.keyFingerprint());
    return event;
  }

  /** Sets a dotted field such as {@code file.hash.sha256} in nested maps. */
  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> event, String dottedName, Object value) {
    if (dottedName.startsWith("@")) {
      event.put(dottedName, value);
      return;
    }
    String[] parts = dottedName.split("\\.");
    Map<String, Object> node = event;
    for (int i = 0; i < parts.length - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
    }
    node.put(parts[parts.length - 1], value);
  }

  private void writeLine(Map<String, Object> event) throws OutputException {
    try {
      out.write(toJson(event));
      out.write('\n');
    } catch (IOException e) {
      throw new OutputException("cannot write the report: " + e.getMessage(), e);
    }
  }

  private static String toJson(Map<String, Object> event) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(ObjectWriteContext.empty(), text)) {
      writeValue(json, event);
    } catch (JacksonException e) {
      throw new IllegalStateException("JSON of an in-memory event failed", e);
    }
    return text.toString();
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(JsonGenerator json, Object value) {
    switch (value) {
      case null -> json.writeNull();
      case String text -> json.writeString(text);
      case Long number -> json.writeNumber(number);
      case Map<?, ?> map -> {
        json.writeStartObject();
        for (Map.Entry<String, Object> field : ((Map<String, Object>) map).entrySet()) {
          json.writeName(field.getKey());
          writeValue(json, field.getValue());
        }
        json.writeEndObject();
      }
      case List<?> list -> {
        json.writeStartArray();
        for (Object item : new ArrayList<>(list)) {
          writeValue(json, item);
        }
        json.writeEndArray();
      }
      default -> throw new IllegalStateException("unexpected JSON value " + value.getClass());
    }
  }
}
