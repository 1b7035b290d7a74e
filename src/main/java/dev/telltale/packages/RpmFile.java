package dev.telltale.packages;

/**
 * One file of an RPM package, with the fields that {@code rpm -V} compares beyond those of {@link
 * PackageFile}. All fields come from the signed region, except {@code state}, which rpm writes at
 * install time outside it.
 *
 * @param file the expected metadata
 * @param fullMode the whole {@code st_mode}, type bits included
 * @param rdev the device number of a device node, 16 bits as rpm stores it
 * @param capabilities the file capabilities in libcap text form; empty when there are none
 * @param fileFlags rpm's RPMFILE_* bits
 * @param verifyFlags rpm's RPMVERIFY_* bits: which attributes the package asks to check
 * @param state the unsigned install-time file state: 0 normal, 1 replaced, 2 not installed, 3 net
 *     shared, 4 wrong color; -1 when the header records none
 */
public record RpmFile(
    PackageFile file,
    int fullMode,
    int rdev,
    String capabilities,
    int fileFlags,
    int verifyFlags,
    int state) {

  static final int STATE_NORMAL = 0;
  static final int STATE_REPLACED = 1;
  static final int STATE_NOT_INSTALLED = 2;
  static final int STATE_NET_SHARED = 3;
  static final int STATE_WRONG_COLOR = 4;

  /** Returns the name of the install-time state, as rpm's {@code --state} query prints it. */
  public String stateName() {
    return switch (state) {
      case STATE_NORMAL -> "normal";
      case STATE_REPLACED -> "replaced";
      case STATE_NOT_INSTALLED -> "not installed";
      case STATE_NET_SHARED -> "net shared";
      case STATE_WRONG_COLOR -> "wrong color";
      case -1 -> "no state";
      default -> "unknown state " + state;
    };
  }
}
