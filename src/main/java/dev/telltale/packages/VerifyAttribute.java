package dev.telltale.packages;

/**
 * The attributes that {@code rpm -V} compares, with rpm's RPMVERIFY_* bit and report letter, in the
 * order of the letter string {@code SM5DLUGTP}.
 */
public enum VerifyAttribute {
  SIZE(1 << 1, 'S', "size"),
  MODE(1 << 6, 'M', "mode"),
  DIGEST(1, '5', "digest"),
  RDEV(1 << 7, 'D', "device"),
  LINK_TARGET(1 << 2, 'L', "link target"),
  USER(1 << 3, 'U', "user"),
  GROUP(1 << 4, 'G', "group"),
  MTIME(1 << 5, 'T', "mtime"),
  CAPABILITIES(1 << 8, 'P', "capabilities");

  private final int rpmBit;
  private final char letter;
  private final String label;

  VerifyAttribute(int rpmBit, char letter, String label) {
    this.rpmBit = rpmBit;
    this.letter = letter;
    this.label = label;
  }

  /** Returns the RPMVERIFY_* bit that asks for this check in FILEVERIFYFLAGS. */
  public int rpmBit() {
    return rpmBit;
  }

  /** Returns the letter that {@code rpm -V} prints when this attribute differs. */
  public char letter() {
    return letter;
  }

  /** Returns the name used in JSON reports. */
  public String label() {
    return label;
  }
}
