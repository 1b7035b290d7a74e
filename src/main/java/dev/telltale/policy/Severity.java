package dev.telltale.policy;

/** How much a change matters, in increasing order. */
public enum Severity {
  LOW("low"),
  MEDIUM("medium"),
  HIGH("high"),
  CRITICAL("critical");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Returns the severity with the given label, or null. */
  public static Severity fromLabel(String label) {
    for (Severity severity : values()) {
      if (severity.label.equals(label)) {
        return severity;
      }
    }
    return null;
  }
}
