package dev.telltale;

/**
 * A signature or seal that failed to verify. The caller must treat the data as tampered with and
 * must not use any part of it.
 */
public final class TamperException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public TamperException(String message) {
    super(message);
  }

  public TamperException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.TAMPERED;
  }
}
