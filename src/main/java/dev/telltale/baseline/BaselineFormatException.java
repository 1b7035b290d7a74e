package dev.telltale.baseline;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;

/** A baseline that is missing, truncated, corrupt or of an unknown format. */
public final class BaselineFormatException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public BaselineFormatException(String message) {
    super(message);
  }

  public BaselineFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.BASELINE_FORMAT;
  }
}
