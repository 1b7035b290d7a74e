package dev.telltale.report;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.PathEscape;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders attribute values for people. Machine formats keep the canonical values. */
public final class Values {
  /** UTC with all nine digits of nanoseconds, because a change may be in the nanoseconds alone. */
  static final DateTimeFormatter NANOSECOND_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Values() {}

  /** Returns a value as a person reads it: times as UTC timestamps, absent values as "(none)". */
  static String readable(Attribute attribute, String value) {
    if (value == null) {
      return "(none)";
    }
    if (attribute == Attribute.MTIME || attribute == Attribute.CTIME) {
      Instant time = toInstant(value);
      return time == null ? value : NANOSECOND_TIME.format(time);
    }
    if (value.isEmpty()) {
      return "(empty)";
    }
    return value;
  }

  /**
   * Returns text from outside telltale, such as a host name, with control and invisible characters
   * escaped like a path, so it cannot move the cursor or hide the rest of a report on a terminal.
   */
  public static String escaped(String text) {
    return PathEscape.escape(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses the canonical time form {@code SECONDS.NANOSECONDS}, seconds signed; null when the value
   * is not in that form.
   */
  static Instant toInstant(String value) {
    int dot = value.indexOf('.');
    if (dot < 0 || value.length() - dot - 1 != 9) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.substring(0, dot));
      long nanos = Long.parseLong(value.substring(dot + 1));
      // Before 1970 the canonical form keeps nanoseconds positive, as statx reports them.
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return null;
    }
  }
}
