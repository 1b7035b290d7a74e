package dev.telltale.run;

import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code check} and {@code update} read package metadata.
 *
 * @param rpmdbOrNull the rpmdb.sqlite file or its directory; null to look below the root
 * @param keyrings the vendor OpenPGP keyrings that header signatures are verified with
 */
public record PackageSource(Path rpmdbOrNull, List<Path> keyrings) {
  /** The default database below the root, and no keys. */
  public static final PackageSource DEFAULT = new PackageSource(null, List.of());

  public PackageSource {
    keyrings = List.copyOf(keyrings);
  }
}
