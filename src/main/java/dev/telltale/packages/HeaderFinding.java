package dev.telltale.packages;

/**
 * A problem with a package header itself, as opposed to one of its files.
 *
 * @param kind what is wrong
 * @param detail the tag, key or offset involved
 */
public record HeaderFinding(Kind kind, String detail) {
  /**
   * Kinds of header problems; {@link #tampered()} ones make the whole result untrusted (exit 20).
   */
  public enum Kind {
    MALFORMED("malformed header", true),
    NO_REGION("no signed region", true),
    SIGNATURE_MISSING("signature missing", true),
    SIGNATURE_BAD("signature bad", true),
    SIGNATURE_UNKNOWN_KEY("signed by an unknown key", true),
    DIGEST_MISSING("SHA256HEADER digest missing", true),
    DIGEST_BAD("SHA256HEADER digest bad", true),
    SHADOWED_TAG("unsigned entry shadows a signed tag", true),
    UNEXPECTED_UNSIGNED_TAG("unexpected unsigned entry", false);

    private final String label;
    private final boolean tampered;

    Kind(String label, boolean tampered) {
      this.label = label;
      this.tampered = tampered;
    }

    /** Returns the words used for this kind in text reports. */
    public String label() {
      return label;
    }

    /** Returns true when this problem means the header cannot be trusted. */
    public boolean tampered() {
      return tampered;
    }
  }
}
