package dev.telltale.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.scan.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternTest {
  /** Returns true when an entry rule with the pattern matches the path exactly. */
  private static boolean matches(String pattern, FsPath path) throws Exception {
    String text = "=" + pattern + " type\n";
    Policy policy = Policy.parse("t.policy", text.getBytes(StandardCharsets.UTF_8));
    return policy.ruleFor(path) != null;
  }

  private static boolean matches(String pattern, String path) throws Exception {
    return matches(pattern, FsPath.of(path));
  }

  record Case(String pattern, String path, boolean expected) {}

  @Test
  void globTable() throws Exception {
    List<Case> cases =
        List.of(
            new Case("/etc/*.conf", "/etc/a.conf", true),
            new Case("/etc/*.conf", "/etc/.conf", true),
            new Case("/etc/*.conf", "/etc/sub/a.conf", false),
            new Case("/etc/*", "/etc/.hidden", true),
            new Case("/etc/a?c", "/etc/abc", true),
            new Case("/etc/a?c", "/etc/ac", false),
            new Case("/etc/[ab]x", "/etc/bx", true),
            new Case("/etc/[ab]x", "/etc/cx", false),
            new Case("/etc/[!ab]x", "/etc/cx", true),
            new Case("/etc/[^ab]x", "/etc/ax", false),
            new Case("/etc/[a-c]", "/etc/b", true),
            new Case("/etc/[]]", "/etc/]", true),
            new Case("/etc/[a-]", "/etc/-", true),
            new Case("/etc/*a*b", "/etc/xxaxxb", true),
            new Case("/etc/*a*b", "/etc/xxaxxbc", false),
            new Case("/**", "/", true),
            new Case("/**", "/a/b/c", true),
            new Case("/**/x", "/x", true),
            new Case("/**/x", "/a/b/x", true),
            new Case("/**/x", "/a/b/xy", false),
            new Case("/a/**", "/a", true),
            new Case("/a/**", "/a/b/c", true),
            new Case("/a/**", "/ab", false),
            new Case("/a/**/b/**/c", "/a/b/c", true),
            new Case("/a/**/b/**/c", "/a/x/b/y/z/c", true),
            new Case("/a/**/b/**/c", "/a/x/y/c", false),
            new Case("/%2A", "/*", true),
            new Case("/%2A", "/x", false),
            new Case("/a%20b", "/a b", true),
            new Case("/café", "/café", true),
            new Case("/caf?", "/café", false),
            new Case("/caf??", "/café", true),
            new Case("/usr//lib/", "/usr/lib", true));
    for (Case c : cases) {
      assertThat(matches(c.pattern(), c.path()))
          .as("%s against %s", c.pattern(), c.path())
          .isEqualTo(c.expected());
    }
  }

  @Test
  void escapedInvalidUtf8Matches() throws Exception {
    FsPath path = FsPath.ROOT.child(new byte[] {'x', (byte) 0xFF});
    assertThat(matches("/x%FF", path)).isTrue();
  }

  @Test
  void starMatchesInvalidUtf8() throws Exception {
    FsPath path = FsPath.ROOT.child(new byte[] {(byte) 0xC3, 'x'});
    assertThat(matches("/*x", path)).isTrue();
  }

  @Test
  void classMatchesEscapedByte() throws Exception {
    FsPath path = FsPath.ROOT.child(new byte[] {(byte) 0x80});
    assertThat(matches("/[%80-%FF]", path)).isTrue();
  }

  @Test
  void negatedClassNeverMatchesSlash() throws Exception {
    PathPattern pattern = PathPattern.compile("/a[!x]b", false);
    PathPattern.Glob glob = (PathPattern.Glob) pattern.name(0);
    byte[] name = "a/b".getBytes(StandardCharsets.US_ASCII);
    assertThat(glob.matches(name, 0, name.length)).isFalse();
  }

  @Test
  void trailingAnyNamesDroppedForSubtree() throws Exception {
    assertThat(PathPattern.compile("/usr/**", true).canonical()).isEqualTo("/usr");
  }

  @Test
  void canonicalIgnoresRedundantSlashes() throws Exception {
    assertThat(PathPattern.compile("//usr///lib/", false).canonical()).isEqualTo("/usr/lib");
  }

  @Test
  void canonicalKeepsEscapedStarLiteral() throws Exception {
    assertThat(PathPattern.compile("/a%2A", false).canonical()).isEqualTo("/a%2A");
  }

  @Test
  void tooManyNamesRejected() {
    String text = "/a".repeat(PathPattern.MAX_NAMES + 1);
    assertThatThrownBy(() -> PathPattern.compile(text, false))
        .hasMessageContaining("more than the limit of 63");
  }
}
