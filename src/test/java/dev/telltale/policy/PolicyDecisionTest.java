package dev.telltale.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.Descent;
import dev.telltale.scan.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDecisionTest {
  private static final String POLICY =
      """
      # a policy that exercises every ranking step
      /usr                 CONTENT
      /etc                 CONTENT  severity=high
      /etc/ssh             CONTENT  severity=critical realtime
      =/etc/ssh            PERMS
      !/etc/ssh/moduli
      !/var/cache
      /var/cache/keep/this sha256
      /var/log             LOG growing
      /opt/**/*.so         sha512
      /opt/*/lib/*.so      sha256
      /opt                 PERMS
      /srv/a*              mode
      /srv/ab*             uid
      /home/*/.bashrc      CONTENT  severity=high
      =/home               PERMS
      /mnt/data            CONTENT  crossmounts
      """;

  private static Policy policy() throws PolicyException {
    return Policy.parse("test.policy", POLICY.getBytes(StandardCharsets.UTF_8));
  }

  private static String decisive(Policy policy, String path) {
    Rule rule = policy.ruleFor(FsPath.of(path));
    return rule == null ? null : rule.describe();
  }

  record Case(String path, String expectedRule) {}

  @Test
  void decisionTable() throws PolicyException {
    Policy policy = policy();
    List<Case> cases =
        List.of(
            new Case("/", null),
            new Case("/usr", "/usr (test.policy:2)"),
            new Case("/usr/bin/ls", "/usr (test.policy:2)"),
            new Case("/usrx", null),
            new Case("/etc/passwd", "/etc (test.policy:3)"),
            new Case("/etc/ssh", "=/etc/ssh (test.policy:5)"),
            new Case("/etc/ssh/sshd_config", "/etc/ssh (test.policy:4)"),
            new Case("/etc/ssh/moduli", "!/etc/ssh/moduli (test.policy:6)"),
            new Case("/var/cache", "!/var/cache (test.policy:7)"),
            new Case("/var/cache/keep", "!/var/cache (test.policy:7)"),
            new Case("/var/cache/keep/this", "/var/cache/keep/this (test.policy:8)"),
            new Case("/var/cache/keep/this/below", "/var/cache/keep/this (test.policy:8)"),
            new Case("/opt/x/lib/a.so", "/opt/*/lib/*.so (test.policy:11)"),
            new Case("/opt/x/y/lib/a.so", "/opt/**/*.so (test.policy:10)"),
            new Case("/opt/x/lib/a.txt", "/opt (test.policy:12)"),
            new Case("/srv/abc", "/srv/ab* (test.policy:14)"),
            new Case("/srv/axc", "/srv/a* (test.policy:13)"),
            new Case("/home", "=/home (test.policy:16)"),
            new Case("/home/alice", null),
            new Case("/home/alice/.bashrc", "/home/*/.bashrc (test.policy:15)"));
    for (Case c : cases) {
      assertThat(decisive(policy, c.path())).as(c.path()).isEqualTo(c.expectedRule());
    }
  }

  @Test
  void laterRuleWinsFullTie() throws PolicyException {
    String text = "/x/a* mode\n/x/*a uid\n";
    Policy policy = Policy.parse("t", text.getBytes(StandardCharsets.UTF_8));
    assertThat(policy.ruleFor(FsPath.of("/x/aa")).source()).isEqualTo("t:2");
  }

  @Test
  void attributesForIncludedPath() throws PolicyException {
    assertThat(policy().attributesFor(FsPath.of("/etc/ssh")))
        .isEqualTo(EnumSet.of(Attribute.TYPE, Attribute.MODE));
  }

  @Test
  void attributesForExcludedPathNull() throws PolicyException {
    assertThat(policy().attributesFor(FsPath.of("/etc/ssh/moduli"))).isNull();
  }

  @Test
  void attributesForUncoveredPathNull() throws PolicyException {
    assertThat(policy().attributesFor(FsPath.of("/tmp"))).isNull();
  }

  @Test
  void growingRuleAlwaysRecordsSize() throws PolicyException {
    String text = "/var/log CONTENT-sha256-size-mtime-ctime growing\n";
    Policy policy = Policy.parse("t", text.getBytes(StandardCharsets.UTF_8));

    assertThat(policy.attributesFor(FsPath.of("/var/log/x"))).contains(Attribute.SIZE);
  }

  @Test
  void attributeExpressionRemovesNames() throws PolicyException {
    String text = "/var/log CONTENT-sha256-size-mtime-ctime\n";
    Policy policy = Policy.parse("t", text.getBytes(StandardCharsets.UTF_8));
    assertThat(policy.attributesFor(FsPath.of("/var/log/x")))
        .isEqualTo(
            EnumSet.of(
                Attribute.TYPE,
                Attribute.MODE,
                Attribute.UID,
                Attribute.GID,
                Attribute.INODE,
                Attribute.NLINK,
                Attribute.TARGET));
  }

  @Test
  void userGroupShadowsPredefined() throws PolicyException {
    String text = "CONTENT = type+sha256\n/usr CONTENT\n";
    Policy policy = Policy.parse("t", text.getBytes(StandardCharsets.UTF_8));
    assertThat(policy.attributesFor(FsPath.of("/usr")))
        .isEqualTo(EnumSet.of(Attribute.TYPE, Attribute.SHA256));
  }

  @Test
  void optionsParsed() throws PolicyException {
    Rule rule = policy().ruleFor(FsPath.of("/etc/ssh/sshd_config"));
    assertThat(List.of(rule.severity(), rule.realtime(), rule.growing()))
        .containsExactly(Severity.CRITICAL, true, false);
  }

  @Test
  void realtimeRulesListed() throws PolicyException {
    assertThat(policy().realtimeRules()).extracting(Rule::pattern).containsExactly("/etc/ssh");
  }

  private static List<String> names(Descent descent) {
    return ((Descent.Named) descent)
        .names().stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void descentBelowRootNamesRuleRoots() throws PolicyException {
    assertThat(names(policy().descentBelow(FsPath.ROOT)))
        .containsExactly("etc", "home", "mnt", "opt", "srv", "usr", "var");
  }

  @Test
  void descentBelowCoveredDirectoryAll() throws PolicyException {
    assertThat(policy().descentBelow(FsPath.of("/usr/lib"))).isEqualTo(Descent.ALL);
  }

  @Test
  void descentBelowEntryRuleWithSubtreeAll() throws PolicyException {
    assertThat(policy().descentBelow(FsPath.of("/etc/ssh"))).isEqualTo(Descent.ALL);
  }

  @Test
  void descentBelowExcludedLeafNone() throws PolicyException {
    assertThat(policy().descentBelow(FsPath.of("/etc/ssh/moduli"))).isEqualTo(Descent.NONE);
  }

  @Test
  void descentBelowExclusionNamesDeeperInclude() throws PolicyException {
    assertThat(names(policy().descentBelow(FsPath.of("/var/cache")))).containsExactly("keep");
  }

  @Test
  void descentBelowExcludedIntermediateNamed() throws PolicyException {
    assertThat(names(policy().descentBelow(FsPath.of("/var/cache/keep")))).containsExactly("this");
  }

  @Test
  void descentBelowIncludeUnderExclusionAll() throws PolicyException {
    assertThat(policy().descentBelow(FsPath.of("/var/cache/keep/this"))).isEqualTo(Descent.ALL);
  }

  @Test
  void descentBelowUncoveredWithWildcardAll() throws PolicyException {
    assertThat(policy().descentBelow(FsPath.of("/home"))).isEqualTo(Descent.ALL);
  }

  @Test
  void descentBelowUncoveredWithLiteralNamed() throws PolicyException {
    assertThat(names(policy().descentBelow(FsPath.of("/home/alice")))).containsExactly(".bashrc");
  }

  @Test
  void descentBelowUnrelatedNone() throws PolicyException {
    assertThat(policy().descentBelow(FsPath.of("/tmp"))).isEqualTo(Descent.NONE);
  }

  @Test
  void descentBelowVarNamesInUnsignedOrder() throws PolicyException {
    String text = "/v/%C3%A9 mode\n/v/z mode\n/v/A mode\n";
    Policy policy = Policy.parse("t", text.getBytes(StandardCharsets.UTF_8));
    assertThat(names(policy.descentBelow(FsPath.of("/v")))).containsExactly("A", "z", "é");
  }

  @Test
  void descentBelowExclusionIgnoresWildcardInclude() throws PolicyException {
    String text = "/a CONTENT\n!/a/**/c\n/a/b/c/d mode\n/a/**/c/*.txt uid\n";
    Policy policy = Policy.parse("t", text.getBytes(StandardCharsets.UTF_8));
    assertThat(names(policy.descentBelow(FsPath.of("/a/b/c")))).containsExactly("d");
  }

  @Test
  void mayCrossIntoRulePrefix() throws PolicyException {
    assertThat(policy().mayCrossInto(FsPath.of("/var/cache/keep"))).isTrue();
  }

  @Test
  void mayCrossIntoCoveredWithoutOptionFalse() throws PolicyException {
    assertThat(policy().mayCrossInto(FsPath.of("/usr/local"))).isFalse();
  }

  @Test
  void mayCrossIntoCrossmountsRule() throws PolicyException {
    assertThat(policy().mayCrossInto(FsPath.of("/mnt/data/disk"))).isTrue();
  }

  @Test
  void mayCrossIntoExclusionFalse() throws PolicyException {
    assertThat(policy().mayCrossInto(FsPath.of("/etc/ssh/moduli"))).isFalse();
  }

  @Test
  void explainNamesDecisiveAndLosers() throws PolicyException {
    String expected =
        """
        /etc/ssh/sshd_config
          decided by /etc/ssh (test.policy:4), matching at depth 2
          records type+mode+uid+gid+size+mtime+ctime+inode+nlink+target+sha256
          severity critical, realtime
          also matches: /etc (test.policy:3), lost because it matches at depth 1, the decisive\
         rule at depth 2
        """;
    assertThat(policy().explain(FsPath.of("/etc/ssh/sshd_config")).render()).isEqualTo(expected);
  }

  @Test
  void explainEntryRuleWins() throws PolicyException {
    Explanation explanation = policy().explain(FsPath.of("/etc/ssh"));
    assertThat(explanation.others().getFirst().lossReason())
        .isEqualTo("matches at the same depth, where an entry rule '=' comes first");
  }

  @Test
  void explainWildcardLoser() throws PolicyException {
    Explanation explanation = policy().explain(FsPath.of("/srv/abc"));
    assertThat(explanation.others().getFirst().lossReason())
        .isEqualTo("has fewer literal bytes (4 against 5)");
  }

  @Test
  void explainExcluded() throws PolicyException {
    String rendered = policy().explain(FsPath.of("/var/cache/x")).render();
    assertThat(rendered).contains("  not recorded: excluded\n");
  }

  @Test
  void explainUnmatched() throws PolicyException {
    assertThat(policy().explain(FsPath.of("/tmp")).render())
        .isEqualTo("/tmp\n  not recorded: no rule matches\n");
  }

  @Test
  void digestIsSha256OfBytes() throws PolicyException {
    Policy policy = Policy.parse("t", "/usr mode\n".getBytes(StandardCharsets.UTF_8));
    assertThat(policy.digestSha256())
        .isEqualTo("0d4a32b3d88962116605a6a906f3d8fbe0123fa2811140ed7910adbde03c38ae");
  }
}
