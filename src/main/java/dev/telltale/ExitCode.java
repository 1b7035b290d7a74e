package dev.telltale;

/**
 * Process exit codes. Codes 1, 2, 4 and 8 are bits that a check ORs together; the codes from 16 up
 * are single failures, each caused by one kind of culprit.
 */
public enum ExitCode {
  CLEAN(0),
  ADDED(1),
  REMOVED(2),
  CHANGED(4),
  INCOMPLETE(8),
  USAGE(16),
  POLICY(17),
  IO(18),
  BASELINE_FORMAT(19),
  TAMPERED(20),
  KEY(21),
  INTERNAL(70);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
