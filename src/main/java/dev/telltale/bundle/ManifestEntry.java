package dev.telltale.bundle;

import java.util.HexFormat;

/**
 * One line of a bundle manifest: a file's path relative to the bundle root and the SHA-256 digest
 * of its content in lower-case hex.
 *
 * <p>Paths are restricted to printable ASCII without spaces and backslashes, with no empty, {@code
 * .} or {@code ..} component, so that a manifest line never needs the escapes of {@code sha256sum}
 * and always names a file inside the bundle.
 */
public record ManifestEntry(String path, String sha256) {
  static final int SHA256_HEX_LENGTH = 64;
  static final int MAX_PATH_CHARS = 1024;

  public ManifestEntry {
    String pathProblem = pathProblem(path);
    if (pathProblem != null) {
      throw new IllegalArgumentException(pathProblem);
    }
    String digestProblem = digestProblem(sha256);
    if (digestProblem != null) {
      throw new IllegalArgumentException(digestProblem);
    }
  }

  /** Returns why {@code path} cannot be a manifest path, or null when it can. */
  static String pathProblem(String path) {
    if (path.isEmpty() || path.length() > MAX_PATH_CHARS) {
      return "path must have 1 to " + MAX_PATH_CHARS + " characters";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '\\') {
        return "path '"
            + path.substring(0, i)
            + "' is followed by character U+"
            + HexFormat.of().withUpperCase().toHexDigits(c)
            + "; only printable ASCII without space or backslash is allowed";
      }
    }
    for (String component : path.split("/", -1)) {
      if (component.isEmpty() || component.equals(".") || component.equals("..")) {
        return "path '" + path + "' must be relative, without empty, '.' or '..' components";
      }
    }
    return null;
  }

  /** Returns why {@code sha256} is not 64 lower-case hex digits, or null when it is. */
  static String digestProblem(String sha256) {
    if (sha256.length() != SHA256_HEX_LENGTH) {
      return "digest must have " + SHA256_HEX_LENGTH + " hex digits, found " + sha256.length();
    }
    for (int i = 0; i < sha256.length(); i++) {
      char c = sha256.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return "digest has '" + c + "' at position " + (i + 1) + "; expected lower-case hex";
      }
    }
    return null;
  }
}
