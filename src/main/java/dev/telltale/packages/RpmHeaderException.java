package dev.telltale.packages;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;

/**
 * A malformed RPM header. A header in the rpmdb that does not parse cannot be checked against its
 * signature, so it counts as tampering. The message names the byte offset within the header blob.
 */
public final class RpmHeaderException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public RpmHeaderException(String message) {
    super(message);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.TAMPERED;
  }
}
