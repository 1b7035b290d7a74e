package dev.telltale.policy;

import dev.telltale.OutputException;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Descent;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.WalkPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed policy: which paths to record, with which attributes and severity, and how to walk to
 * them. The language is described in docs/policy.md.
 *
 * <p>For each path the most specific matching rule decides. Rules are ranked by, in order: the
 * depth of the path that the rule matched (the path itself or the ancestor a subtree rule covers it
 * from), greater first; at equal depth an entry rule ({@code =}) before a subtree rule or
 * exclusion; fewer {@code **} names; fewer other wildcards ({@code *}, {@code ?}, classes); more
 * literal bytes; and finally the rule written later in the file.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Policy implements WalkPlan {
  private final String sourceName;
  private final String digestSha256;
  private final List<CompiledRule> compiled;
  private final List<Rule> rules;
  private final List<Rule> realtimeRules;
  private final RuleIndex index;

  private Policy(String sourceName, byte[] text, List<CompiledRule> compiled) {
    this.sourceName = sourceName;
    this.digestSha256 = sha256Hex(text);
    this.compiled = compiled;
    this.rules = compiled.stream().map(CompiledRule::rule).toList();
    this.realtimeRules = rules.stream().filter(Rule::realtime).toList();
    this.index = new RuleIndex(compiled);
  }

  /**
   * Parses policy text.
   *
   * @param sourceName the name that error messages and {@link Rule#source()} start with
   * @throws PolicyException for any fault, with {@code sourceName:line:} and the fix
   */
  public static Policy parse(String sourceName, byte[] text) throws PolicyException {
    Policy policy = new Policy(sourceName, text, PolicyParser.parse(sourceName, text));
    policy.checkReachable();
    return policy;
  }

  /**
   * Reads and parses a policy file. A file over {@link PolicyParser#MAX_FILE_BYTES} is rejected
   * without reading it all.
   *
   * @throws OutputException when the file cannot be read
   * @throws PolicyException when its content is invalid
   */
  public static Policy load(Path file) throws PolicyException, OutputException {
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new OutputException("policy " + file + " is a directory; name the policy file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // Opening a FIFO would block until something writes to it.
      throw new OutputException("policy " + file + " is not a regular file; name the policy file");
    }
    byte[] text;
    try (InputStream in = Files.newInputStream(file)) {
      text = in.readNBytes(PolicyParser.MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new OutputException(
          "cannot read policy " + file + ": " + e.getMessage() + "; check the path", e);
    }
    return parse(file.toString(), text);
  }

  /** Parses the default policy shipped for a kind of system. */
  public static Policy loadDefault(SystemKind kind) throws PolicyException {
    String name = kind.resourceName();
    try (InputStream in = Policy.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("default policy " + name + " is missing from the bundle");
      }
      return parse("default:" + name, in.readNBytes(PolicyParser.MAX_FILE_BYTES + 1));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read default policy " + name, e);
    }
  }

  /** Returns the name the policy was parsed under: a file path or {@code default:NAME}. */
  public String sourceName() {
    return sourceName;
  }

  /** Returns the lower-case hex SHA-256 of the policy bytes as read. */
  public String digestSha256() {
    return digestSha256;
  }

  /** Returns the rules in the order they are written. */
  public List<Rule> rules() {
    return rules;
  }

  /** Returns the rules marked {@code realtime}, in the order they are written. */
  public List<Rule> realtimeRules() {
    return realtimeRules;
  }

  /** Returns the rule that decides the path, possibly an exclusion, or null when none matches. */
  public Rule ruleFor(FsPath path) {
    Decision decision = decide(path.bytes());
    return decision.decisive == null ? null : decision.decisive.rule();
  }

  @Override
  public Set<Attribute> attributesFor(FsPath path) {
    Decision decision = decide(path.bytes());
    CompiledRule decisive = decision.decisive;
    return decisive == null || decisive.isExclusion() ? null : decisive.rule().attributes();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Below a directory that a subtree rule covers the walk lists everything. Below an excluded
   * directory it looks up only the literal names that lead to include rules: a wildcard never
   * reaches into an excluded directory. Below a directory no rule covers, it lists the directory
   * when a wildcard leads further, and otherwise looks up the literal names.
   */
  @Override
  public Descent descentBelow(FsPath directory) {
    byte[] bytes = directory.bytes();
    int[] bounds = bounds(bytes);
    Decision decision = decide(bytes, bounds);
    CompiledRule governing = decision.governing;
    if (governing != null && !governing.isExclusion()) {
      return Descent.ALL;
    }
    int depth = bounds.length / 2;
    TreeSet<byte[]> names = new TreeSet<>(Arrays::compareUnsigned);
    boolean needsListing = false;
    RuleIndex.Node node = index.root();
    for (int i = 0; node != null; i++) {
      for (CompiledRule rule : node.rules) {
        if (!rule.isExclusion()) {
          needsListing |= addNextNames(rule, bytes, bounds, i, names);
        }
      }
      if (i == depth) {
        for (int k = 0; k < node.children.length; k++) {
          if (node.children[k].leadsToInclude) {
            names.add(node.childNames[k]);
          }
        }
        break;
      }
      node = node.child(bytes, bounds[2 * i], bounds[2 * i + 1]);
    }
    boolean excluded = governing != null;
    if (needsListing && !excluded) {
      return Descent.ALL;
    }
    return names.isEmpty() ? Descent.NONE : new Descent.Named(new ArrayList<>(names));
  }

  /**
   * Adds the literal names that the rule can match right below the directory, and returns true when
   * a wildcard can match there instead.
   */
  private static boolean addNextNames(
      CompiledRule rule, byte[] bytes, int[] bounds, int prefixDepth, Set<byte[]> names) {
    PathPattern pattern = rule.pattern();
    long state = pattern.startAfterLiteralPrefix();
    int depth = bounds.length / 2;
    for (int i = prefixDepth; i < depth && state != 0; i++) {
      state = pattern.step(state, bytes, bounds[2 * i], bounds[2 * i + 1]);
    }
    long open = state & ~(1L << pattern.size());
    for (long rest = open; rest != 0; rest &= rest - 1) {
      if (!(pattern.name(Long.numberOfTrailingZeros(rest)) instanceof PathPattern.Literal)) {
        // Names after a wildcard are reached only through it, so they need a listing too.
        return true;
      }
    }
    for (long rest = open; rest != 0; rest &= rest - 1) {
      names.add(((PathPattern.Literal) pattern.name(Long.numberOfTrailingZeros(rest))).bytes());
    }
    return false;
  }

  @Override
  public boolean mayCrossInto(FsPath directory) {
    byte[] bytes = directory.bytes();
    int[] bounds = bounds(bytes);
    RuleIndex.Node node = index.root();
    for (int i = 0; node != null && i < bounds.length / 2; i++) {
      node = node.child(bytes, bounds[2 * i], bounds[2 * i + 1]);
    }
    if (node != null && node.leadsToInclude) {
      return true;
    }
    CompiledRule governing = decide(bytes, bounds).governing;
    return governing != null && !governing.isExclusion() && governing.rule().crossMounts();
  }

  /**
   * Explains the decision for a path: the decisive rule, the attributes recorded, and every other
   * matching rule with the reason it lost.
   */
  public Explanation explain(FsPath path) {
    byte[] bytes = path.bytes();
    int[] bounds = bounds(bytes);
    List<Explanation.Match> matches = new ArrayList<>();
    for (CompiledRule rule : compiled) {
      int depth = matchDepth(rule, bytes, bounds, 0, rule.pattern().start());
      if (depth >= 0) {
        matches.add(new Explanation.Match(rule.rule(), depth, ""));
      }
    }
    if (matches.isEmpty()) {
      return new Explanation(path, null, Set.of(), List.of());
    }
    matches.sort((a, b) -> -compare(find(a.rule()), a.depth(), find(b.rule()), b.depth()));
    Explanation.Match winner = matches.getFirst();
    CompiledRule winning = find(winner.rule());
    List<Explanation.Match> others = new ArrayList<>();
    for (Explanation.Match loser : matches.subList(1, matches.size())) {
      String reason = lossReason(winning, winner.depth(), find(loser.rule()), loser.depth());
      others.add(new Explanation.Match(loser.rule(), loser.depth(), reason));
    }
    Set<Attribute> attributes = winning.isExclusion() ? Set.of() : winning.rule().attributes();
    return new Explanation(path, winner, attributes, others);
  }

  private CompiledRule find(Rule rule) {
    for (CompiledRule candidate : compiled) {
      if (candidate.rule() == rule) {
        return candidate;
      }
    }
    throw new IllegalStateException("rule not in this policy: " + rule.describe());
  }

  private static String lossReason(
      CompiledRule winner, int winnerDepth, CompiledRule loser, int loserDepth) {
    if (winnerDepth != loserDepth) {
      return "matches at depth " + loserDepth + ", the decisive rule at depth " + winnerDepth;
    }
    if (winner.isEntry() != loser.isEntry()) {
      return "matches at the same depth, where an entry rule '=' comes first";
    }
    PathPattern w = winner.pattern();
    PathPattern l = loser.pattern();
    if (w.anyNamesCount() != l.anyNamesCount()) {
      return "has more '**' (" + l.anyNamesCount() + " against " + w.anyNamesCount() + ")";
    }
    if (w.wildcardCount() != l.wildcardCount()) {
      return "has more wildcards (" + l.wildcardCount() + " against " + w.wildcardCount() + ")";
    }
    if (w.literalByteCount() != l.literalByteCount()) {
      return "has fewer literal bytes ("
          + l.literalByteCount()
          + " against "
          + w.literalByteCount()
          + ")";
    }
    return "ties with the decisive rule, which is written later (line " + winner.line() + ")";
  }

  /** The decisive rule for a path and the best rule that is not an entry rule. */
  private static final class Decision {
    CompiledRule decisive;
    int decisiveDepth = -1;

    /** The best subtree rule or exclusion; it decides what lies below the path. */
    CompiledRule governing;

    int governingDepth = -1;
  }

  private Decision decide(byte[] bytes) {
    return decide(bytes, bounds(bytes));
  }

  private Decision decide(byte[] bytes, int[] bounds) {
    Decision decision = new Decision();
    int depth = bounds.length / 2;
    RuleIndex.Node node = index.root();
    for (int i = 0; node != null; i++) {
      for (CompiledRule rule : node.rules) {
        int matched = matchDepth(rule, bytes, bounds, i, rule.pattern().startAfterLiteralPrefix());
        if (matched < 0) {
          continue;
        }
        if (compare(rule, matched, decision.decisive, decision.decisiveDepth) > 0) {
          decision.decisive = rule;
          decision.decisiveDepth = matched;
        }
        if (!rule.isEntry()
            && compare(rule, matched, decision.governing, decision.governingDepth) > 0) {
          decision.governing = rule;
          decision.governingDepth = matched;
        }
      }
      if (i == depth) {
        break;
      }
      node = node.child(bytes, bounds[2 * i], bounds[2 * i + 1]);
    }
    return decision;
  }

  /**
   * Returns the depth of the path the rule matches: the whole path for an entry rule, the deepest
   * matching ancestor-or-self for the others; -1 when the rule does not match.
   */
  private static int matchDepth(
      CompiledRule rule, byte[] bytes, int[] bounds, int from, long state) {
    PathPattern pattern = rule.pattern();
    int depth = bounds.length / 2;
    if (rule.isEntry()) {
      for (int i = from; i < depth && state != 0; i++) {
        state = pattern.step(state, bytes, bounds[2 * i], bounds[2 * i + 1]);
      }
      return pattern.isComplete(state) ? depth : -1;
    }
    int best = pattern.isComplete(state) ? from : -1;
    for (int i = from; i < depth && state != 0; i++) {
      state = pattern.step(state, bytes, bounds[2 * i], bounds[2 * i + 1]);
      if (pattern.isComplete(state)) {
        best = i + 1;
      }
    }
    return best;
  }

  /** Returns a positive number when rule {@code a} ranks above {@code b}; null ranks lowest. */
  private static int compare(CompiledRule a, int depthA, CompiledRule b, int depthB) {
    if (b == null) {
      return 1;
    }
    if (depthA != depthB) {
      return Integer.compare(depthA, depthB);
    }
    if (a.isEntry() != b.isEntry()) {
      return a.isEntry() ? 1 : -1;
    }
    PathPattern pa = a.pattern();
    PathPattern pb = b.pattern();
    if (pa.anyNamesCount() != pb.anyNamesCount()) {
      return Integer.compare(pb.anyNamesCount(), pa.anyNamesCount());
    }
    if (pa.wildcardCount() != pb.wildcardCount()) {
      return Integer.compare(pb.wildcardCount(), pa.wildcardCount());
    }
    if (pa.literalByteCount() != pb.literalByteCount()) {
      return Integer.compare(pa.literalByteCount(), pb.literalByteCount());
    }
    return Integer.compare(a.order(), b.order());
  }

  /** Returns the start and end offset of each name in an absolute path's bytes, in pairs. */
  private static int[] bounds(byte[] bytes) {
    int count = 0;
    for (byte b : bytes) {
      if (b == '/') {
        count++;
      }
    }
    if (bytes.length == 1) {
      return new int[0];
    }
    int[] bounds = new int[2 * count];
    int k = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '/') {
        bounds[k] = i + 1;
        if (k > 0) {
          bounds[k - 1] = i;
        }
        k += 2;
      }
    }
    bounds[k - 1] = bytes.length;
    return bounds;
  }

  /**
   * Rejects an include rule with a wildcard that lies below an excluded directory: reaching it
   * would need a listing of that directory, which an exclusion forbids.
   */
  private void checkReachable() throws PolicyException {
    for (CompiledRule rule : compiled) {
      PathPattern pattern = rule.pattern();
      if (rule.isExclusion() || pattern.literalPrefixLength() == pattern.size()) {
        continue;
      }
      FsPath prefix = FsPath.ROOT;
      for (int j = 0; j < pattern.literalPrefixLength(); j++) {
        prefix = prefix.child(((PathPattern.Literal) pattern.name(j)).bytes());
      }
      CompiledRule governing = decide(prefix.bytes()).governing;
      if (governing != null && governing.isExclusion()) {
        throw new PolicyException(
            rule.rule().source()
                + ": rule '"
                + rule.rule().pattern()
                + "' has a wildcard below the exclusion "
                + governing.rule().describe()
                + ", and an excluded directory is never listed; write the names literally or"
                + " narrow the exclusion");
      }
    }
  }

  private static String sha256Hex(byte[] text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
