package dev.telltale.crypto;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;

/** A key that cannot be used: missing, malformed, or protected by another passphrase. */
public final class KeyException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public KeyException(String message) {
    super(message);
  }

  public KeyException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.KEY;
  }
}
