package dev.telltale;

/**
 * A failure whose culprit is known, so that the command line can exit with the one code that
 * belongs to it. Messages name the value at fault and the fix; they never carry key material.
 */
public abstract class TelltaleException extends Exception {
  private static final long serialVersionUID = 1L;

  protected TelltaleException(String message) {
    super(message);
  }

  protected TelltaleException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Returns the exit code for this failure. */
  public abstract ExitCode exitCode();
}
