package dev.telltale.policy;

import dev.telltale.scan.Attribute;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses policy text into compiled rules. Every fault raises a {@link PolicyException} whose
 * message starts with {@code source:line:} and ends with the fix.
 */
final class PolicyParser {
  /** Limit on a policy file; the largest default policy is a few kilobytes. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /** Limit on one line: room for a path of 4096 bytes written entirely as escapes, and more. */
  static final int MAX_LINE_BYTES = 16384;

  private static final Pattern GROUP_DEFINITION =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)[ \\t]*=(.*)");
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");
  private static final String KNOWN_OPTIONS = "severity=, growing, realtime, crossmounts";

  private final String source;
  private final Map<String, Set<Attribute>> groups = new HashMap<>();
  private final Map<String, Integer> predefinedUsedOnLine = new HashMap<>();
  private final Map<String, Integer> definedOnLine = new HashMap<>();
  private final Map<String, Integer> laterDefinitions = new HashMap<>();
  private final Map<String, CompiledRule> rulesByKey = new HashMap<>();
  private final List<CompiledRule> rules = new ArrayList<>();
  private int lineNumber;

  private PolicyParser(String source) {
    this.source = source;
    groups.putAll(AttributeGroups.predefined());
  }

  /** Parses the policy text; see docs/policy.md for the language. */
  static List<CompiledRule> parse(String source, byte[] text) throws PolicyException {
    if (text.length > MAX_FILE_BYTES) {
      throw new PolicyException(
          source
              + ": policy is "
              + text.length
              + " bytes, larger than the limit of "
              + MAX_FILE_BYTES
              + " bytes; check that this is the policy file");
    }
    PolicyParser parser = new PolicyParser(source);
    List<String> lines = parser.decodeLines(text);
    parser.collectGroupDefinitions(lines);
    for (int i = 0; i < lines.size(); i++) {
      parser.lineNumber = i + 1;
      parser.parseLine(lines.get(i));
    }
    if (parser.rules.stream().allMatch(CompiledRule::isExclusion)) {
      throw new PolicyException(
          source
              + ": policy has no include rule, so it watches nothing; add one such as"
              + " '/etc CONTENT'");
    }
    return List.copyOf(parser.rules);
  }

  private PolicyException error(String message) {
    return new PolicyException(source + ":" + lineNumber + ": " + message);
  }

  /** Splits the bytes into lines and checks each for NUL, CR, length and UTF-8. */
  private List<String> decodeLines(byte[] text) throws PolicyException {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length) {
      lineNumber = lines.size() + 1;
      int end = start;
      while (end < text.length && text[end] != '\n') {
        end++;
      }
      if (end - start > MAX_LINE_BYTES) {
        throw error(
            "line is "
                + (end - start)
                + " bytes, longer than the limit of "
                + MAX_LINE_BYTES
                + "; split the rule or shorten its pattern with wildcards");
      }
      for (int i = start; i < end; i++) {
        if (text[i] == 0) {
          throw error(
              "NUL byte at column " + (i - start + 1) + "; a policy is text, remove the NUL");
        }
        if (text[i] == '\r') {
          throw error(
              "carriage return at column "
                  + (i - start + 1)
                  + " (Windows line ending); convert the file with dos2unix");
        }
      }
      int invalid = firstInvalidUtf8(text, start, end);
      if (invalid >= 0) {
        throw error(
            "invalid UTF-8 at byte "
                + (invalid - start + 1)
                + " of the line; write the bytes of names that are not UTF-8 as %XX escapes");
      }
      lines.add(new String(text, start, end - start, StandardCharsets.UTF_8));
      start = end + 1;
    }
    return lines;
  }

  /** Returns the index of the first byte of an invalid UTF-8 sequence in the range, or -1. */
  private static int firstInvalidUtf8(byte[] text, int start, int end) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(text, start, end - start);
    CharBuffer out = CharBuffer.allocate(end - start);
    CoderResult result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : -1;
  }

  /** Records the line of each group definition, to tell "defined later" from "unknown". */
  private void collectGroupDefinitions(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher matcher = GROUP_DEFINITION.matcher(stripComment(lines.get(i)).strip());
      if (matcher.matches()) {
        laterDefinitions.put(matcher.group(1), i + 1);
      }
    }
  }

  /** Removes a comment: a {@code #} at the start of the line or after whitespace. */
  private static String stripComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#'
          && (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private void parseLine(String rawLine) throws PolicyException {
    String line = stripComment(rawLine).strip();
    if (line.isEmpty()) {
      return;
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw error(
            String.format(
                "control character U+%04X at column %d; write it in a pattern as %%%02X",
                (int) c, i + 1, (int) c));
      }
    }
    char first = line.charAt(0);
    if (first == '/' || first == '!' || first == '=') {
      parseRule(WHITESPACE.split(line));
      return;
    }
    Matcher matcher = GROUP_DEFINITION.matcher(line);
    if (matcher.matches()) {
      parseGroup(matcher.group(1), WHITESPACE.matcher(matcher.group(2)).replaceAll(""));
      return;
    }
    String token = WHITESPACE.split(line)[0];
    throw error("'" + token + "' is a relative path; write it from the root, as '/" + token + "'");
  }

  private void parseGroup(String name, String expression) throws PolicyException {
    if (!GROUP_NAME.matcher(name).matches()) {
      throw error(
          "group name '"
              + name
              + "' must be upper-case letters, digits and '_' (lower-case names are attributes);"
              + " write '"
              + name.toUpperCase(java.util.Locale.ROOT)
              + "'");
    }
    Integer earlier = definedOnLine.get(name);
    if (earlier != null) {
      throw error(
          "group '"
              + name
              + "' is redefined; line "
              + earlier
              + " defines it, keep one definition");
    }
    Integer used = predefinedUsedOnLine.get(name);
    if (used != null) {
      throw error(
          "group '"
              + name
              + "' is redefined after line "
              + used
              + " used the predefined one; move this definition above its first use");
    }
    if (expression.isEmpty()) {
      throw error("group '" + name + "' has no attributes; write them after '=', joined by '+'");
    }
    Set<Attribute> attributes = evaluate(expression);
    groups.put(name, attributes);
    definedOnLine.put(name, lineNumber);
  }

  /**
   * Evaluates an attribute expression: names of attributes and groups joined with {@code +} (add)
   * and {@code -} (remove), from left to right.
   */
  private Set<Attribute> evaluate(String expression) throws PolicyException {
    Set<Attribute> result = EnumSet.noneOf(Attribute.class);
    int i = 0;
    boolean add = true;
    while (i <= expression.length()) {
      int end = i;
      while (end < expression.length()
          && expression.charAt(end) != '+'
          && expression.charAt(end) != '-') {
        end++;
      }
      String name = expression.substring(i, end);
      if (name.isEmpty()) {
        throw error(
            "empty name in attribute expression '"
                + expression
                + "'; write one attribute or group between each '+' and '-'");
      }
      Set<Attribute> operand = resolve(name);
      if (add) {
        result.addAll(operand);
      } else {
        result.removeAll(operand);
      }
      if (end == expression.length()) {
        break;
      }
      add = expression.charAt(end) == '+';
      i = end + 1;
    }
    return result;
  }

  private Set<Attribute> resolve(String name) throws PolicyException {
    Attribute attribute = Attribute.fromPolicyName(name);
    if (attribute != null) {
      return EnumSet.of(attribute);
    }
    Set<Attribute> group = groups.get(name);
    if (group != null) {
      if (!definedOnLine.containsKey(name)) {
        predefinedUsedOnLine.putIfAbsent(name, lineNumber);
      }
      return group;
    }
    Integer later = laterDefinitions.get(name);
    if (later != null && later > lineNumber) {
      throw error(
          "group '"
              + name
              + "' is used before its definition on line "
              + later
              + "; move the definition above this line");
    }
    if (GROUP_NAME.matcher(name).matches()) {
      List<String> known = new ArrayList<>(groups.keySet());
      known.sort(null);
      throw error("unknown group '" + name + "' (known: " + String.join(", ", known) + ")");
    }
    throw error("unknown attribute '" + name + "' (known: " + Attribute.knownNames() + ")");
  }

  private void parseRule(String[] tokens) throws PolicyException {
    String written = tokens[0];
    Rule.Kind kind =
        switch (written.charAt(0)) {
          case '!' -> Rule.Kind.EXCLUDE;
          case '=' -> Rule.Kind.ENTRY;
          default -> Rule.Kind.SUBTREE;
        };
    String patternText = kind == Rule.Kind.SUBTREE ? written : written.substring(1);
    PathPattern pattern;
    try {
      pattern = PathPattern.compile(patternText, kind != Rule.Kind.ENTRY);
    } catch (PathPattern.InvalidPatternException e) {
      throw error(e.getMessage());
    }
    Set<Attribute> attributes = Set.of();
    Severity severity = Severity.MEDIUM;
    boolean growing = false;
    boolean realtime = false;
    boolean crossMounts = false;
    if (kind == Rule.Kind.EXCLUDE) {
      if (tokens.length > 1) {
        throw error(
            "exclusion '"
                + written
                + "' takes no attributes or options; remove '"
                + String.join(" ", Arrays.asList(tokens).subList(1, tokens.length))
                + "'");
      }
    } else {
      if (tokens.length < 2 || isOption(tokens[1])) {
        throw error(
            "rule '"
                + written
                + "' has no attribute expression; write one after the pattern, such as CONTENT");
      }
      attributes = evaluate(tokens[1]);
      if (attributes.isEmpty()) {
        throw error(
            "attribute expression '"
                + tokens[1]
                + "' selects no attribute; keep at least one, or write '!"
                + patternText
                + "' to exclude the path");
      }
      Set<String> seen = new java.util.HashSet<>();
      for (int i = 2; i < tokens.length; i++) {
        String option = tokens[i];
        String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
        if (!seen.add(key)) {
          throw error("option '" + key + "' is given twice; keep one");
        }
        switch (key) {
          case "growing" -> growing = checkFlag(option);
          case "realtime" -> realtime = checkFlag(option);
          case "crossmounts" -> crossMounts = checkFlag(option);
          case "severity" -> severity = parseSeverity(option);
          default -> throw error("unknown option '" + option + "' (known: " + KNOWN_OPTIONS + ")");
        }
      }
    }
    Rule rule =
        new Rule(
            kind,
            patternText,
            attributes,
            severity,
            growing,
            realtime,
            crossMounts,
            source + ":" + lineNumber);
    addRule(new CompiledRule(rule, pattern, lineNumber, rules.size()));
  }

  private static boolean isOption(String token) {
    return token.contains("=")
        || token.equals("growing")
        || token.equals("realtime")
        || token.equals("crossmounts");
  }

  private boolean checkFlag(String option) throws PolicyException {
    if (option.contains("=")) {
      throw error("option '" + option + "' takes no value; write '" + option.split("=")[0] + "'");
    }
    return true;
  }

  private Severity parseSeverity(String option) throws PolicyException {
    String label = option.equals("severity") ? "" : option.substring("severity=".length());
    Severity severity = Severity.fromLabel(label);
    if (severity == null) {
      throw error("invalid severity '" + label + "' (known: low, medium, high, critical)");
    }
    return severity;
  }

  private void addRule(CompiledRule compiled) throws PolicyException {
    Rule.Kind kind = compiled.rule().kind();
    String canonical = compiled.pattern().canonical();
    // An exclusion and a subtree rule for the same pattern contradict each other, so they share
    // one key; an entry rule next to either is meaningful (the entry itself versus its contents).
    String key = (kind == Rule.Kind.ENTRY ? "=" : "") + canonical;
    CompiledRule earlier = rulesByKey.get(key);
    if (earlier != null) {
      if (earlier.rule().kind() == kind) {
        throw error(
            "duplicate rule for '"
                + compiled.rule().pattern()
                + "'; line "
                + earlier.line()
                + " has the same rule, delete one");
      }
      throw error(
          "rule "
              + compiled.rule().describe()
              + " contradicts "
              + earlier.rule().describe()
              + "; delete one");
    }
    rulesByKey.put(key, compiled);
    rules.add(compiled);
  }
}
