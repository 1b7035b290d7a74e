package dev.telltale;

/**
 * An I/O failure outside the scanned tree: a report, baseline, key or log that could not be
 * written, or an input file that could not be read.
 */
public final class OutputException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public OutputException(String message) {
    super(message);
  }

  public OutputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.IO;
  }
}
