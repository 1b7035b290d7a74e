package dev.telltale.policy;

import dev.telltale.scan.PathEscape;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled path pattern: a sequence of name patterns, each a literal name, a glob within one name
 * ({@code *}, {@code ?}, {@code [...]}), or {@code **} for any number of names. Matching works on
 * raw name bytes, so it never decodes a file name.
 */
final class PathPattern {
  /** Limit on names in one pattern, so that matcher states fit in the bits of a {@code long}. */
  static final int MAX_NAMES = 63;

  /** One name of a pattern. */
  sealed interface Name permits Literal, Glob, AnyNames {}

  /** A name without wildcards. */
  record Literal(byte[] bytes) implements Name {}

  /** {@code **}: any number of names, including none. */
  record AnyNames() implements Name {}

  /**
   * A name with wildcards, compiled to one operation per position: a byte value (0 to 255), {@link
   * #ANY_BYTE}, {@link #ANY_BYTES}, or {@code CLASS_BASE - k} for the k-th byte class.
   */
  record Glob(int[] ops, long[][] classes) implements Name {
    static final int ANY_BYTE = -1;
    static final int ANY_BYTES = -2;
    static final int CLASS_BASE = -3;

    /** Returns true when the glob matches {@code name[from, to)} completely. */
    boolean matches(byte[] name, int from, int to) {
      int op = 0;
      int i = from;
      int starOp = -1;
      int starI = -1;
      while (i < to) {
        if (op < ops.length && ops[op] != ANY_BYTES && matchesOne(ops[op], name[i] & 0xFF)) {
          op++;
          i++;
        } else if (op < ops.length && ops[op] == ANY_BYTES) {
          // Remember the star and first try it empty; on a mismatch it takes one more byte.
          starOp = op++;
          starI = i;
        } else if (starOp >= 0) {
          op = starOp + 1;
          i = ++starI;
        } else {
          return false;
        }
      }
      while (op < ops.length && ops[op] == ANY_BYTES) {
        op++;
      }
      return op == ops.length;
    }

    private boolean matchesOne(int op, int b) {
      if (op >= 0) {
        return op == b;
      }
      if (op == ANY_BYTE) {
        return true;
      }
      long[] set = classes[CLASS_BASE - op];
      return (set[b >>> 6] & (1L << (b & 63))) != 0;
    }
  }

  private final Name[] names;
  private final int literalPrefixLength;
  private final int anyNamesCount;
  private final int wildcardCount;
  private final int literalByteCount;
  private final long anyNamesMask;
  private final String canonical;

  private PathPattern(Name[] names) {
    this.names = names;
    int prefix = 0;
    while (prefix < names.length && names[prefix] instanceof Literal) {
      prefix++;
    }
    this.literalPrefixLength = prefix;
    int anyNames = 0;
    int wildcards = 0;
    int literalBytes = 0;
    long mask = 0;
    for (int j = 0; j < names.length; j++) {
      switch (names[j]) {
        case AnyNames a -> {
          anyNames++;
          mask |= 1L << j;
        }
        case Literal literal -> literalBytes += literal.bytes().length;
        case Glob glob -> {
          for (int op : glob.ops()) {
            if (op >= 0) {
              literalBytes++;
            } else {
              wildcards++;
            }
          }
        }
      }
    }
    this.anyNamesCount = anyNames;
    this.wildcardCount = wildcards;
    this.literalByteCount = literalBytes;
    this.anyNamesMask = mask;
    this.canonical = render(names);
  }

  /** Thrown for a pattern that cannot be compiled; the message names the fault and the fix. */
  static final class InvalidPatternException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidPatternException(String message) {
      super(message);
    }
  }

  /**
   * Compiles a pattern as written in a policy (escapes included, without the {@code !} or {@code =}
   * prefix).
   *
   * @param dropTrailingAnyNames whether to drop trailing {@code **} names, which add nothing to a
   *     rule that already covers a whole subtree
   * @throws InvalidPatternException for a relative pattern, a bad escape or class, {@code .} or
   *     {@code ..} names, {@code **} inside a name, or more than {@link #MAX_NAMES} names
   */
  static PathPattern compile(String text, boolean dropTrailingAnyNames)
      throws InvalidPatternException {
    if (!text.startsWith("/")) {
      throw new InvalidPatternException(
          "'" + text + "' is a relative path; write it from the root, as '/" + text + "'");
    }
    List<Name> names = new ArrayList<>();
    for (String piece : text.substring(1).split("/", -1)) {
      if (!piece.isEmpty()) {
        names.add(compileName(piece, text));
      }
    }
    if (dropTrailingAnyNames) {
      while (!names.isEmpty() && names.getLast() instanceof AnyNames) {
        names.removeLast();
      }
    }
    if (names.size() > MAX_NAMES) {
      throw new InvalidPatternException(
          "pattern '"
              + text
              + "' has "
              + names.size()
              + " names, more than the limit of "
              + MAX_NAMES
              + "; shorten it with '**'");
    }
    return new PathPattern(names.toArray(Name[]::new));
  }

  private static Name compileName(String piece, String whole) throws InvalidPatternException {
    if (piece.equals("**")) {
      return new AnyNames();
    }
    if (piece.contains("**")) {
      throw new InvalidPatternException(
          "'**' in '"
              + piece
              + "' of pattern '"
              + whole
              + "' must be a whole name; use '*' within a name");
    }
    List<Integer> ops = new ArrayList<>();
    List<long[]> classes = new ArrayList<>();
    boolean wildcard = false;
    int i = 0;
    while (i < piece.length()) {
      char c = piece.charAt(i);
      switch (c) {
        case '%' -> {
          ops.add(escapedByte(piece, i, whole));
          i += 3;
        }
        case '*' -> {
          ops.add(Glob.ANY_BYTES);
          wildcard = true;
          i++;
        }
        case '?' -> {
          ops.add(Glob.ANY_BYTE);
          wildcard = true;
          i++;
        }
        case '[' -> {
          long[] set = new long[4];
          i = compileClass(piece, i, whole, set);
          ops.add(Glob.CLASS_BASE - classes.size());
          classes.add(set);
          wildcard = true;
        }
        default -> {
          int codePoint = piece.codePointAt(i);
          if (codePoint < 0x21 || codePoint == 0x7F) {
            throw new InvalidPatternException(
                String.format(
                    "control character U+%04X in pattern '%s'; write it as %%%02X",
                    codePoint, whole, codePoint));
          }
          String text = new String(Character.toChars(codePoint));
          byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
          if (PathEscape.isInvisible(codePoint)) {
            // A bidirectional override or an invisible character would make the policy read
            // differently from what it matches; reports escape them, and so must the policy.
            throw new InvalidPatternException(
                String.format(
                    "invisible character U+%04X in pattern '%s'; write it as %s",
                    codePoint,
                    PathEscape.escape(whole.getBytes(StandardCharsets.UTF_8)),
                    PathEscape.escape(encoded)));
          }
          for (byte b : encoded) {
            ops.add(b & 0xFF);
          }
          i += Character.charCount(codePoint);
        }
      }
    }
    if (!wildcard) {
      byte[] bytes = new byte[ops.size()];
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = (byte) (int) ops.get(k);
      }
      boolean dot = bytes.length == 1 && bytes[0] == '.';
      boolean dotDot = bytes.length == 2 && bytes[0] == '.' && bytes[1] == '.';
      if (dot || dotDot) {
        throw new InvalidPatternException(
            "pattern '" + whole + "' contains '.' or '..'; write the path without them");
      }
      return new Literal(bytes);
    }
    int[] opArray = ops.stream().mapToInt(Integer::intValue).toArray();
    return new Glob(opArray, classes.toArray(long[][]::new));
  }

  /** Returns the byte of the {@code %XX} escape at {@code i}, rejecting '/' and NUL. */
  private static int escapedByte(String piece, int i, String whole) throws InvalidPatternException {
    if (i + 2 >= piece.length()) {
      throw new InvalidPatternException(
          "'%' in pattern '" + whole + "' is not followed by two hex digits; write '%25' for '%'");
    }
    if (!isAsciiHex(piece.charAt(i + 1)) || !isAsciiHex(piece.charAt(i + 2))) {
      throw new InvalidPatternException(
          "'"
              + piece.substring(i, i + 3)
              + "' in pattern '"
              + whole
              + "' is not a hex escape; write '%25' for '%'");
    }
    int value =
        Character.digit(piece.charAt(i + 1), 16) << 4 | Character.digit(piece.charAt(i + 2), 16);
    if (value == 0) {
      throw new InvalidPatternException(
          "'%00' in pattern '" + whole + "' is a NUL byte, which no file name contains");
    }
    if (value == '/') {
      throw new InvalidPatternException(
          "'" + piece.substring(i, i + 3) + "' in pattern '" + whole + "' is '/'; write '/'");
    }
    return value;
  }

  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Compiles the class that starts at {@code piece[open]} into {@code set} and returns the index
   * after its closing bracket.
   */
  private static int compileClass(String piece, int open, String whole, long[] set)
      throws InvalidPatternException {
    int i = open + 1;
    boolean negate = i < piece.length() && (piece.charAt(i) == '!' || piece.charAt(i) == '^');
    if (negate) {
      i++;
    }
    boolean first = true;
    while (true) {
      if (i >= piece.length()) {
        throw new InvalidPatternException(
            "unclosed '[' in pattern '"
                + whole
                + "'; close the class with ']' or write '%5B' for a literal '['");
      }
      char c = piece.charAt(i);
      if (c == ']' && !first) {
        i++;
        break;
      }
      first = false;
      int elementStart = i;
      int low = classByte(piece, i, whole);
      i += c == '%' ? 3 : 1;
      int high = low;
      boolean range =
          i + 1 < piece.length() && piece.charAt(i) == '-' && piece.charAt(i + 1) != ']';
      if (range) {
        i++;
        char end = piece.charAt(i);
        high = classByte(piece, i, whole);
        i += end == '%' ? 3 : 1;
        if (high < low) {
          throw new InvalidPatternException(
              "range '"
                  + piece.substring(elementStart, i)
                  + "' in pattern '"
                  + whole
                  + "' runs backwards; write the lower end first");
        }
      }
      for (int b = low; b <= high; b++) {
        set[b >>> 6] |= 1L << (b & 63);
      }
    }
    if (negate) {
      for (int k = 0; k < set.length; k++) {
        set[k] = ~set[k];
      }
    }
    // A class never matches '/' or NUL: no name contains them.
    set[0] &= ~(1L | 1L << '/');
    return i;
  }

  private static int classByte(String piece, int i, String whole) throws InvalidPatternException {
    char c = piece.charAt(i);
    if (c == '%') {
      return escapedByte(piece, i, whole);
    }
    if (c < 0x21 || c >= 0x7F) {
      throw new InvalidPatternException(
          "class in pattern '"
              + whole
              + "' contains '"
              + c
              + "', which is not printable ASCII; a class matches single bytes, so write"
              + " each byte as %XX");
    }
    return c;
  }

  /** Returns the number of names in the pattern. */
  int size() {
    return names.length;
  }

  Name name(int index) {
    return names[index];
  }

  /** Returns the number of leading literal names. */
  int literalPrefixLength() {
    return literalPrefixLength;
  }

  int anyNamesCount() {
    return anyNamesCount;
  }

  /** Returns the number of {@code *}, {@code ?} and class wildcards, without {@code **}. */
  int wildcardCount() {
    return wildcardCount;
  }

  int literalByteCount() {
    return literalByteCount;
  }

  /** Returns the pattern with slashes and escapes normalized, so that duplicates compare equal. */
  String canonical() {
    return canonical;
  }

  /** Returns the matcher state before any name: the set of pattern positions reachable. */
  long start() {
    return closure(1L);
  }

  /**
   * Returns the matcher state after the leading literal names, for a path whose first names are
   * known to equal them.
   */
  long startAfterLiteralPrefix() {
    return closure(1L << literalPrefixLength);
  }

  /** Returns true when the state has matched the whole pattern. */
  boolean isComplete(long state) {
    return (state & (1L << names.length)) != 0;
  }

  /** Returns the state after one more path name, {@code path[from, to)}; 0 when none remains. */
  long step(long state, byte[] path, int from, int to) {
    long next = 0;
    long remaining = state & ~(1L << names.length);
    while (remaining != 0) {
      int j = Long.numberOfTrailingZeros(remaining);
      remaining &= remaining - 1;
      boolean advances =
          switch (names[j]) {
            case AnyNames a -> {
              next |= 1L << j;
              yield false;
            }
            case Literal literal ->
                Arrays.equals(literal.bytes(), 0, literal.bytes().length, path, from, to);
            case Glob glob -> glob.matches(path, from, to);
          };
      if (advances) {
        next |= 1L << (j + 1);
      }
    }
    return closure(next);
  }

  /** Adds the positions after each {@code **} in the state, which may match no name at all. */
  private long closure(long state) {
    long pending = state & anyNamesMask;
    while (pending != 0) {
      int j = Long.numberOfTrailingZeros(pending);
      pending &= pending - 1;
      long after = 1L << (j + 1);
      if ((state & after) == 0) {
        state |= after;
        pending |= after & anyNamesMask;
      }
    }
    return state;
  }

  private static String render(Name[] names) {
    if (names.length == 0) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    for (Name name : names) {
      out.append('/');
      switch (name) {
        case AnyNames a -> out.append("**");
        case Literal literal ->
            out.append(PathEscape.escape(literal.bytes(), 0, literal.bytes().length, "*?[]"));
        case Glob glob -> renderGlob(glob, out);
      }
    }
    return out.toString();
  }

  private static void renderGlob(Glob glob, StringBuilder out) {
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    for (int op : glob.ops()) {
      if (op >= 0) {
        run.write(op);
        continue;
      }
      byte[] bytes = run.toByteArray();
      out.append(PathEscape.escape(bytes, 0, bytes.length, "*?[]"));
      run.reset();
      if (op == Glob.ANY_BYTES) {
        out.append('*');
      } else if (op == Glob.ANY_BYTE) {
        out.append('?');
      } else {
        out.append('[');
        long[] set = glob.classes()[Glob.CLASS_BASE - op];
        for (int b = 0; b < 256; b++) {
          if ((set[b >>> 6] & (1L << (b & 63))) != 0) {
            out.append(String.format("%%%02X", b));
          }
        }
        out.append(']');
      }
    }
    byte[] bytes = run.toByteArray();
    out.append(PathEscape.escape(bytes, 0, bytes.length, "*?[]"));
  }
}
