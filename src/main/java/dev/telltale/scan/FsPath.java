package dev.telltale.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An absolute path as the bytes the kernel uses, never decoded to a Java string and back.
 *
 * <p>The natural order is the canonical order: component by component, comparing bytes unsigned. It
 * equals the order of a depth-first walk that sorts each directory, so the scanner, the baseline
 * and the comparator agree without a global sort. Because a name contains neither {@code /} nor
 * NUL, comparing whole byte strings with {@code /} ranked below every other byte gives that order.
 */
public final class FsPath implements Comparable<FsPath> {
  /** The root directory, {@code /}. */
  public static final FsPath ROOT = new FsPath(new byte[] {'/'});

  private final byte[] bytes;
  private int hash;

  private FsPath(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Returns the path for an absolute path written as plain text (UTF-8), such as a command-line
   * argument. Repeated and trailing slashes are removed.
   *
   * @throws IllegalArgumentException if the text is not absolute or contains NUL, "." or ".."
   */
  public static FsPath of(String text) {
    return ofBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the path for raw absolute path bytes. Repeated and trailing slashes are removed.
   *
   * @throws IllegalArgumentException if the bytes are not absolute or contain NUL, "." or ".."
   */
  public static FsPath ofBytes(byte[] raw) {
    if (raw.length == 0 || raw[0] != '/') {
      throw new IllegalArgumentException(
          "path '" + PathEscape.escape(raw) + "' is not absolute: start it with '/'");
    }
    List<byte[]> parts = new ArrayList<>();
    int start = 1;
    for (int i = 1; i <= raw.length; i++) {
      if (i == raw.length || raw[i] == '/') {
        if (i > start) {
          byte[] name = Arrays.copyOfRange(raw, start, i);
          checkName(name, raw);
          parts.add(name);
        }
        start = i + 1;
      }
    }
    FsPath path = ROOT;
    for (byte[] name : parts) {
      path = path.child(name);
    }
    return path;
  }

  /** Parses the escaped text form written by {@link #toString()}. */
  public static FsPath parse(String escaped) throws PathEscape.MalformedEscapeException {
    byte[] raw = PathEscape.unescape(escaped);
    try {
      return ofBytes(raw);
    } catch (IllegalArgumentException e) {
      throw new PathEscape.MalformedEscapeException(e.getMessage());
    }
  }

  private static void checkName(byte[] name, byte[] whole) {
    boolean dot = name.length == 1 && name[0] == '.';
    boolean dotDot = name.length == 2 && name[0] == '.' && name[1] == '.';
    if (dot || dotDot) {
      throw new IllegalArgumentException(
          "path '" + PathEscape.escape(whole) + "' contains '.' or '..': write it without them");
    }
    for (byte b : name) {
      if (b == 0) {
        throw new IllegalArgumentException(
            "path '" + PathEscape.escape(whole) + "' contains a NUL byte");
      }
    }
  }

  /** Returns the path of the entry {@code name} inside this directory. */
  public FsPath child(byte[] name) {
    if (name.length == 0) {
      throw new IllegalArgumentException("empty name");
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        throw new IllegalArgumentException(
            "name '" + PathEscape.escape(name) + "' contains '/' or NUL");
      }
    }
    boolean isRoot = bytes.length == 1;
    byte[] joined = new byte[(isRoot ? 1 : bytes.length + 1) + name.length];
    System.arraycopy(bytes, 0, joined, 0, bytes.length);
    joined[isRoot ? 0 : bytes.length] = '/';
    System.arraycopy(name, 0, joined, isRoot ? 1 : bytes.length + 1, name.length);
    return new FsPath(joined);
  }

  /** Returns the parent directory, or null for the root. */
  public FsPath parent() {
    if (isRoot()) {
      return null;
    }
    int slash = lastSlash();
    return slash == 0 ? ROOT : new FsPath(Arrays.copyOf(bytes, slash));
  }

  /** Returns the last component's bytes; empty for the root. */
  public byte[] name() {
    return isRoot() ? new byte[0] : Arrays.copyOfRange(bytes, lastSlash() + 1, bytes.length);
  }

  public boolean isRoot() {
    return bytes.length == 1;
  }

  /** Returns the number of components: 0 for the root, 1 for {@code /usr}. */
  public int depth() {
    if (isRoot()) {
      return 0;
    }
    int count = 0;
    for (byte b : bytes) {
      if (b == '/') {
        count++;
      }
    }
    return count;
  }

  /** Returns the components, each a fresh copy. */
  public List<byte[]> components() {
    List<byte[]> parts = new ArrayList<>();
    int start = 1;
    for (int i = 1; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '/') {
        if (i > start) {
          parts.add(Arrays.copyOfRange(bytes, start, i));
        }
        start = i + 1;
      }
    }
    return parts;
  }

  /** Returns true if this path equals {@code other} or lies below it. */
  public boolean startsWith(FsPath other) {
    if (other.isRoot()) {
      return true;
    }
    if (bytes.length < other.bytes.length) {
      return false;
    }
    if (!Arrays.equals(bytes, 0, other.bytes.length, other.bytes, 0, other.bytes.length)) {
      return false;
    }
    return bytes.length == other.bytes.length || bytes[other.bytes.length] == '/';
  }

  /** Returns the number of bytes of the whole path, slashes included. */
  public int lengthBytes() {
    return bytes.length;
  }

  /** Returns the path bytes, a fresh copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the path bytes relative to the root, without the leading slash; empty for the root. */
  public byte[] relativeBytes() {
    return Arrays.copyOfRange(bytes, 1, bytes.length);
  }

  private int lastSlash() {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '/') {
        return i;
      }
    }
    throw new IllegalStateException("path without a slash");
  }

  @Override
  public int compareTo(FsPath other) {
    int length = Math.min(bytes.length, other.bytes.length);
    for (int i = 0; i < length; i++) {
      int a = rank(bytes[i]);
      int b = rank(other.bytes[i]);
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    return Integer.compare(bytes.length, other.bytes.length);
  }

  private static int rank(byte b) {
    return b == '/' ? -1 : b & 0xFF;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FsPath other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** Returns the escaped text form, the one used in baselines, reports and policies. */
  @Override
  public String toString() {
    return PathEscape.escape(bytes);
  }
}
