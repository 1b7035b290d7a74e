package dev.telltale.scan;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;

/**
 * One entry of the scanned tree could not be read when a caller asked for it alone, as in {@link
 * Scanner#prefixDigest}. Coverage is incomplete, which is exit code 8.
 */
public final class UnreadableEntryException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public UnreadableEntryException(String message) {
    super(message);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.INCOMPLETE;
  }
}
