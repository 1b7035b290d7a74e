package dev.telltale.report;

import dev.telltale.compare.AttributeChange;
import dev.telltale.compare.Change;
import dev.telltale.compare.Summary;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/** JSON fragments shared by the JSON and NDJSON reports. */
final class JsonChanges {
  private JsonChanges() {}

  /**
   * Writes {@code NAME: {attribute: {old, new}}}. An added entry lists every recorded value with
   * {@code old} null, a removed one with {@code new} null, a changed one the differing attributes,
   * so {@code update --report} can tell whether the live entry is still what the report saw.
   */
  static void writeAttributes(JsonGenerator json, String name, Change change) {
    json.writeName(name);
    json.writeStartObject();
    switch (change) {
      case Change.Added added -> writeValues(json, added.after(), false);
      case Change.Removed removed -> writeValues(json, removed.before(), true);
      case Change.Changed changed -> {
        for (AttributeChange difference : changed.differences()) {
          writePair(json, difference.attribute(), difference.before(), difference.after());
        }
      }
      case Change.Unreadable unreadable -> {}
    }
    json.writeEndObject();
  }

  private static void writeValues(JsonGenerator json, Entry entry, boolean asOld) {
    for (Map.Entry<Attribute, String> value : entry.values().entrySet()) {
      if (asOld) {
        writePair(json, value.getKey(), value.getValue(), null);
      } else {
        writePair(json, value.getKey(), null, value.getValue());
      }
    }
  }

  private static void writePair(JsonGenerator json, Attribute attribute, String old, String now) {
    json.writeName(attribute.policyName());
    json.writeStartObject();
    writeNullable(json, "old", old);
    writeNullable(json, "new", now);
    json.writeEndObject();
  }

  static void writeNullable(JsonGenerator json, String name, String value) {
    if (value == null) {
      json.writeNullProperty(name);
    } else {
      json.writeStringProperty(name, value);
    }
  }

  static void writeSummary(JsonGenerator json, Summary summary) {
    json.writeStartObject();
    json.writeNumberProperty("compared", summary.compared());
    json.writeNumberProperty("added", summary.added());
    json.writeNumberProperty("removed", summary.removed());
    json.writeNumberProperty("changed", summary.changed());
    json.writeNumberProperty("unreadable", summary.unreadable());
    json.writeNumberProperty("explained", summary.explained());
    json.writeNumberProperty("unexplained", summary.unexplained());
    json.writeNumberProperty("packages_added", summary.packagesAdded());
    json.writeNumberProperty("packages_removed", summary.packagesRemoved());
    json.writeNumberProperty("packages_replaced", summary.packagesReplaced());
    json.writeNumberProperty("exit_code", summary.exitCode());
    json.writeEndObject();
  }
}
