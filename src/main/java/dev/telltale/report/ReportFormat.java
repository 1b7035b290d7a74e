package dev.telltale.report;

import java.io.Writer;

/** The report formats that {@code check --format} accepts. */
public enum ReportFormat {
  TEXT,
  JSON,
  NDJSON;

  /** Returns a new reporter of this format that writes to {@code out}. */
  public Reporter open(Writer out) {
    return switch (this) {
      case TEXT -> new TextReporter(out);
      case JSON -> new JsonReporter(out);
      case NDJSON -> new NdjsonReporter(out);
    };
  }
}
