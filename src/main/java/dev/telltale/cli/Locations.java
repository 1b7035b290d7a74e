package dev.telltale.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Default places for the baseline and the keys: system directories when running as root, the user's
 * XDG directories otherwise.
 *
 * <p>Root: {@code /var/lib/telltale/baseline.db}, keys in {@code /etc/telltale}. Others: {@code
 * $XDG_DATA_HOME/telltale/baseline.db} (default {@code ~/.local/share}) and keys in {@code
 * $XDG_CONFIG_HOME/telltale} (default {@code ~/.config}).
 */
record Locations(Path baseline, Path keyDirectory, Path sealDirectory) {
  static final String KEY_FILE = "telltale.key";
  static final String PUBLIC_KEY_FILE = "telltale.pub";

  /** Returns the defaults for the current user and environment. */
  static Locations defaults() {
    // $HOME wins over the password database, as it does for every XDG-aware program.
    String home = System.getenv("HOME");
    Path homeDirectory =
        home != null && home.startsWith("/")
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"));
    return defaults(isRoot(), System.getenv(), homeDirectory);
  }

  static Locations defaults(boolean root, Map<String, String> environment, Path home) {
    if (root) {
      return new Locations(
          Path.of("/var/lib/telltale/baseline.db"),
          Path.of("/etc/telltale"),
          Path.of("/var/lib/telltale/seal"));
    }
    Path data = xdg(environment, "XDG_DATA_HOME", home.resolve(".local/share"));
    Path config = xdg(environment, "XDG_CONFIG_HOME", home.resolve(".config"));
    return new Locations(
        data.resolve("telltale/baseline.db"),
        config.resolve("telltale"),
        data.resolve("telltale/seal"));
  }

  private static Path xdg(Map<String, String> environment, String variable, Path fallback) {
    String value = environment.get(variable);
    // The XDG base directory rules ignore relative values.
    if (value == null || value.isEmpty() || !value.startsWith("/")) {
      return fallback;
    }
    return Path.of(value);
  }

  /** Returns true when the process runs with user id 0, which owns {@code /proc/self}. */
  static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
