package dev.telltale.packages;

import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Entry point of {@code telltale packages verify}: picks the rpm or dpkg database and runs it. */
public final class PackageVerification {
  private PackageVerification() {}

  /**
   * Verifies the packages below a root. An explicit {@code admindir} selects dpkg; otherwise the
   * rpmdb is used when there is one, and dpkg's {@code var/lib/dpkg} when there is not.
   *
   * @throws UsageException if an rpmdb is to be read but no keyring was given
   * @throws TelltaleException if the database cannot be read or a keyring is unusable
   */
  public static VerifyReport run(
      Path root, Path rpmdbOrNull, Path admindirOrNull, List<Path> keyrings, boolean headersOnly)
      throws TelltaleException {
    if (admindirOrNull != null) {
      return DpkgVerification.run(root, admindirOrNull);
    }
    boolean rpmPresent =
        rpmdbOrNull != null
            || Files.exists(root.resolve("usr/lib/sysimage/rpm"))
            || Files.exists(root.resolve("var/lib/rpm"));
    Path dpkgStatus = root.resolve("var/lib/dpkg/status");
    if (!rpmPresent && Files.isRegularFile(dpkgStatus)) {
      return DpkgVerification.run(root, dpkgStatus.getParent());
    }
    if (keyrings.isEmpty()) {
      throw new UsageException(
          "no --keyring given: name the vendor's public keys, kept on offline media, with"
              + " --keyring FILE");
    }
    return RpmVerification.run(root, rpmdbOrNull, VendorKeys.load(keyrings), headersOnly);
  }
}
