package dev.telltale.packages;

import java.io.PrintWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Renders a {@link VerifyReport}. The text form prints each differing file exactly as {@code rpm
 * -V} does ({@code S.5....T. c /path}, or {@code missing c /path}), so the two can be diffed; lines
 * about packages start with {@code package } and notes with four spaces.
 */
public final class VerifyReportWriter {
  private VerifyReportWriter() {}

  /** Writes the text report. */
  public static void text(VerifyReport report, PrintWriter out) {
    out.println("source: " + report.backend() + " " + report.source());
    for (String note : report.notes()) {
      out.println("note: " + note);
    }
    for (String fingerprint : report.keyFingerprints()) {
      out.println("key: " + fingerprint);
    }
    int verified = 0;
    int checked = 0;
    int differing = 0;
    for (PackageResult result : report.packages()) {
      verified += result.verified() ? 1 : 0;
      checked += result.filesChecked();
      for (HeaderFinding finding : result.findings()) {
        out.println(
            "package "
                + result.nevra()
                + ": "
                + finding.kind().label()
                + (finding.detail().isEmpty() ? "" : ": " + finding.detail()));
      }
      for (FileResult file : result.files()) {
        differing += file.isFinding() ? 1 : 0;
        String path = file.file().path().toString();
        if (file.status() == FileResult.Status.MISSING) {
          out.println("missing   " + file.marker() + " " + path);
        } else if (file.status() != FileResult.Status.OK) {
          out.println(file.letters() + "  " + file.marker() + " " + path);
        }
        for (String note : file.notes()) {
          out.println("    " + path + ": " + note);
        }
      }
    }
    out.println(
        "summary: "
            + report.packages().size()
            + " packages, "
            + verified
            + " with a verified signature, "
            + checked
            + " files checked, "
            + differing
            + " differ");
  }

  /** Writes the JSON report, one object with a stable field order. */
  public static void json(VerifyReport report, PrintWriter out) {
    try (JsonGenerator json = new JsonFactory().createGenerator(ObjectWriteContext.empty(), out)) {
      json.writeStartObject();
      json.writeStringProperty("backend", report.backend());
      json.writeStringProperty("source", report.source());
      json.writeNumberProperty("exitCode", report.exitCode());
      json.writeBooleanProperty("headersOnly", report.headersOnly());
      json.writeName("notes");
      json.writeStartArray();
      for (String note : report.notes()) {
        json.writeString(note);
      }
      json.writeEndArray();
      json.writeName("keys");
      json.writeStartArray();
      for (String fingerprint : report.keyFingerprints()) {
        json.writeString(fingerprint);
      }
      json.writeEndArray();
      json.writeName("packages");
      json.writeStartArray();
      for (PackageResult result : report.packages()) {
        writePackage(json, result);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.println();
  }

  private static void writePackage(JsonGenerator json, PackageResult result) {
    json.writeStartObject();
    json.writeStringProperty("nevra", result.nevra());
    json.writeNumberProperty("headerNumber", result.headerNumber());
    json.writeStringProperty("headerSha256", result.headerSha256());
    json.writeStringProperty("signerKeyId", result.signerKeyId());
    json.writeBooleanProperty("verified", result.verified());
    json.writeNumberProperty("filesChecked", result.filesChecked());
    json.writeName("findings");
    json.writeStartArray();
    for (HeaderFinding finding : result.findings()) {
      json.writeStartObject();
      json.writeStringProperty("kind", finding.kind().name().toLowerCase(java.util.Locale.ROOT));
      json.writeStringProperty("label", finding.kind().label());
      json.writeStringProperty("detail", finding.detail());
      json.writeBooleanProperty("tampered", finding.kind().tampered());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeName("files");
    json.writeStartArray();
    for (FileResult file : result.files()) {
      writeFile(json, file);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeFile(JsonGenerator json, FileResult result) {
    PackageFile file = result.file();
    json.writeStartObject();
    json.writeStringProperty("path", file.path().toString());
    json.writeStringProperty("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
    json.writeStringProperty("letters", result.letters());
    json.writeStringProperty("marker", String.valueOf(result.marker()).trim());
    json.writeName("expected");
    json.writeStartObject();
    json.writeStringProperty("mode", file.mode());
    json.writeNumberProperty("size", file.sizeBytes());
    json.writeStringProperty("digestAlgorithm", file.digestAlgorithm());
    json.writeStringProperty("digest", file.digestHex());
    json.writeStringProperty("user", file.user());
    json.writeStringProperty("group", file.group());
    json.writeNumberProperty("mtime", file.mtimeSeconds());
    json.writeStringProperty("linkTarget", file.linkTarget());
    json.writeName("flags");
    json.writeStartArray();
    for (String flag : file.flags().stream().sorted().toList()) {
      json.writeString(flag);
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeName("differing");
    json.writeStartObject();
    for (VerifyAttribute attribute : result.differing()) {
      json.writeStringProperty(attribute.label(), result.actual().getOrDefault(attribute, ""));
    }
    json.writeEndObject();
    json.writeName("unreadable");
    json.writeStartArray();
    for (VerifyAttribute attribute : result.unreadable()) {
      json.writeString(attribute.label());
    }
    json.writeEndArray();
    json.writeName("notes");
    json.writeStartArray();
    for (String note : result.notes()) {
      json.writeString(note);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
