package dev.telltale.bundle;

import dev.telltale.scan.PathEscape;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One way in which a bundle on disk differs from its manifest. */
public record Finding(Kind kind, String path, String detail) {

  /** The kinds of difference, each a reason to distrust the bundle. */
  public enum Kind {
    /** Listed in the manifest but absent. */
    MISSING,
    /** Present with other content than the manifest records, or no longer a regular file. */
    CHANGED,
    /** Present but not listed in the manifest. */
    UNEXPECTED,
    /** Could not be read, so it could not be compared. */
    UNREADABLE
  }

  /**
   * Returns the finding as one report line: kind, escaped path and detail. The path is escaped
   * because an unexpected file may have any name, including one with a line feed.
   */
  public String toLine() {
    String escaped = PathEscape.escape(path.getBytes(StandardCharsets.UTF_8));
    return kind.name().toLowerCase(Locale.ROOT) + " " + escaped + ": " + detail;
  }
}
