package dev.telltale.bundle;

import dev.telltale.UsageException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** Finds the root directory of the bundle that the running telltale was started from. */
public final class BundleHome {
  /** System property that {@code bin/telltale} sets to the bundle root. */
  public static final String PROPERTY = "telltale.home";

  private BundleHome() {}

  /**
   * Returns the bundle root: the {@value #PROPERTY} property when set, else the directory above the
   * {@code lib/} directory that contains the running jar.
   *
   * @throws UsageException if telltale does not run from a bundle with a manifest
   */
  public static Path locate() throws UsageException {
    String property = System.getProperty(PROPERTY);
    Path candidate = property != null ? Path.of(property) : fromCodeSource();
    if (candidate == null || !Files.isRegularFile(candidate.resolve(BundleManifest.FILE_NAME))) {
      throw new UsageException(
          "telltale does not run from a bundle with a "
              + BundleManifest.FILE_NAME
              + (candidate == null ? "" : " (looked in " + candidate + ")")
              + "; give the bundle directory with --bundle DIR");
    }
    return candidate;
  }

  private static Path fromCodeSource() {
    CodeSource source = BundleHome.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return null;
    }
    try {
      Path jar = Path.of(source.getLocation().toURI());
      Path lib = jar.getParent();
      return lib == null ? null : lib.getParent();
    } catch (URISyntaxException | IllegalArgumentException e) {
      // A code source that is not a local file cannot be a bundle.
      return null;
    }
  }
}
