package dev.telltale.alert;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;

/**
 * A line that is not a well-formed alert record. In a sealed log this means the log was edited or
 * cut short, so it maps to the tamper exit code.
 */
public final class RecordFormatException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  private final int column;

  /** Creates the exception for a defect found at a 1-based column of the line. */
  public RecordFormatException(int column, String message) {
    super("column " + column + ": " + message);
    this.column = column;
  }

  /** Returns the 1-based column at which the line stopped being a valid record. */
  public int column() {
    return column;
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.TAMPERED;
  }
}
