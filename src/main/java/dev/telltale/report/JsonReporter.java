package dev.telltale.report;

import dev.telltale.OutputException;
import dev.telltale.compare.Change;
import dev.telltale.compare.PackageChange;
import dev.telltale.compare.Summary;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * One JSON document per check. The changes are streamed as they are found, so the summary comes
 * after them; the schema is in docs/formats.md. {@code update --report} reads this format back.
 */
final class JsonReporter implements Reporter {
  static final int FORMAT_VERSION = 1;

  private final Writer out;
  private JsonGenerator json;

  JsonReporter(Writer out) {
    this.out = out;
  }

  @Override
  public void start(ReportContext context) throws OutputException {
    try {
      // The caller owns the writer: standard output stays open after the report.
      JsonFactory factory =
          JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
      json = factory.createGenerator(ObjectWriteContext.empty(), out);
      json.writeStartObject();
      json.writeStringProperty("format", "telltale-report");
      json.writeNumberProperty("format_version", FORMAT_VERSION);
      json.writeStringProperty("tool_version", context.toolVersion());
      json.writeStringProperty("host", context.host());
      json.writeStringProperty(
          "checked_at", DateTimeFormatter.ISO_INSTANT.format(context.checkedAt()));
      json.writeStringProperty("root", context.rootDirectory());
      json.writeName("baseline");
      json.writeStartObject();
      json.writeStringProperty("path", context.baselinePath());
      json.writeStringProperty("sha256", context.baselineSha256());
      json.writeStringProperty(
          "created", DateTimeFormatter.ISO_INSTANT.format(context.baselineCreated()));
      json.writeStringProperty("host", context.baselineHost());
      json.writeStringProperty("key_fingerprint", context.keyFingerprint());
      json.writeEndObject();
      json.writeName("policy");
      json.writeStartObject();
      json.writeStringProperty("source", context.policySource());
      json.writeStringProperty("sha256", context.policySha256());
      json.writeEndObject();
      json.writeArrayPropertyStart("warnings");
      for (String warning : context.warnings()) {
        json.writeString(warning);
      }
      json.writeEndArray();
      writePackages(context);
      json.writeArrayPropertyStart("changes");
    } catch (JacksonException e) {
      throw new OutputException("cannot write the JSON report: " + e.getOriginalMessage(), e);
    }
  }

  private void writePackages(ReportContext context) {
    if (context.packageSource() == null) {
      json.writeNullProperty("packages");
      return;
    }
    json.writeName("packages");
    json.writeStartObject();
    json.writeStringProperty("source", context.packageSource());
    json.writeArrayPropertyStart("changes");
    for (PackageChange change : context.packageChanges()) {
      json.writeStartObject();
      json.writeStringProperty("nevra", change.nevra());
      json.writeStringProperty("kind", change.kind().label());
      JsonChanges.writeNullable(json, "old_sha256", change.beforeSha256());
      JsonChanges.writeNullable(json, "new_sha256", change.afterSha256());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  @Override
  public void change(Change change) throws OutputException {
    change(change, null);
  }

  @Override
  public void change(Change change, String explainedBy) throws OutputException {
    try {
      json.writeStartObject();
      json.writeStringProperty("path", change.path().toString());
      json.writeStringProperty("kind", change.kind());
      json.writeStringProperty("severity", change.severity().label());
      json.writeStringProperty("rule", change.rule().describe());
      JsonChanges.writeAttributes(json, "attributes", change);
      if (change instanceof Change.Unreadable unreadable) {
        json.writeStringProperty("error", unreadable.reason());
      }
      JsonChanges.writeNullable(json, "explained_by", explainedBy);
      json.writeEndObject();
    } catch (JacksonException e) {
      throw new OutputException("cannot write the JSON report: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public void finish(Summary summary) throws OutputException {
    try {
      json.writeEndArray();
      json.writeName("summary");
      JsonChanges.writeSummary(json, summary);
      json.writeEndObject();
      json.close();
      out.write('\n');
      out.flush();
    } catch (JacksonException | java.io.IOException e) {
      throw new OutputException("cannot write the JSON report: " + e.getMessage(), e);
    }
  }
}
