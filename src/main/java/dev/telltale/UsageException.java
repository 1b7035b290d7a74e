package dev.telltale;

/**
 * An invalid command line: an option value that cannot work, or options that exclude each other.
 */
public final class UsageException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.USAGE;
  }
}
