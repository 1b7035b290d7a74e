package dev.telltale.policy;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;

/** An invalid policy. The message starts with {@code file:line:} when a line is at fault. */
public final class PolicyException extends TelltaleException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.POLICY;
  }
}
