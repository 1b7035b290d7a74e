package dev.telltale.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.telltale.ExitCode;
import dev.telltale.OutputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyErrorTest {
  record Case(String text, String expectedStart) {}

  private static String messageFor(byte[] text) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> Policy.parse("p.conf", text));
    return e == null ? "(parsed without error)" : e.getMessage();
  }

  @Test
  void errorTable() {
    List<Case> cases =
        List.of(
            new Case(
                "/usr type\n/etc sha255\n",
                "p.conf:2: unknown attribute 'sha255' (known: type, mode, uid,"),
            new Case("/etc NOPE\n", "p.conf:1: unknown group 'NOPE' (known: ALL, CONTENT, DIR,"),
            new Case(
                "/etc MINE\nMINE = type\n",
                "p.conf:1: group 'MINE' is used before its definition on line 2; move"),
            new Case(
                "MINE = type\nMINE = mode\n/x MINE\n",
                "p.conf:2: group 'MINE' is redefined; line 1 defines it"),
            new Case(
                "/x CONTENT\nCONTENT = type\n",
                "p.conf:2: group 'CONTENT' is redefined after line 1 used the predefined one"),
            new Case("mine = type\n", "p.conf:1: group name 'mine' must be upper-case"),
            new Case("EMPTY =\n", "p.conf:1: group 'EMPTY' has no attributes"),
            new Case(
                "/x type++mode\n", "p.conf:1: empty name in attribute expression 'type++mode'"),
            new Case(
                "/etc/[ab CONTENT\n",
                "p.conf:1: unclosed '[' in pattern '/etc/[ab'; close the class"),
            new Case(
                "/etc/[z-a] CONTENT\n",
                "p.conf:1: range 'z-a' in pattern '/etc/[z-a]' runs backwards"),
            new Case("/etc/[é] CONTENT\n", "p.conf:1: class in pattern '/etc/[é]' contains 'é'"),
            new Case(
                "/etc/a%G1 CONTENT\n",
                "p.conf:1: '%G1' in pattern '/etc/a%G1' is not a hex escape"),
            new Case(
                "/etc/a% CONTENT\n",
                "p.conf:1: '%' in pattern '/etc/a%' is not followed by two hex digits"),
            new Case("/etc/a%2Fb CONTENT\n", "p.conf:1: '%2F' in pattern '/etc/a%2Fb' is '/'"),
            new Case("/etc/a%00 CONTENT\n", "p.conf:1: '%00' in pattern '/etc/a%00' is a NUL byte"),
            new Case(
                "/etc/a**b CONTENT\n",
                "p.conf:1: '**' in 'a**b' of pattern '/etc/a**b' must be a whole name"),
            new Case("/etc/../x CONTENT\n", "p.conf:1: pattern '/etc/../x' contains '.' or '..'"),
            new Case(
                "etc CONTENT\n",
                "p.conf:1: 'etc' is a relative path; write it from the root, as '/etc'"),
            new Case("!etc\n", "p.conf:1: 'etc' is a relative path"),
            new Case(
                "/etc CONTENT\n/etc/ type\n",
                "p.conf:2: duplicate rule for '/etc/'; line 1 has the same rule"),
            new Case(
                "/etc CONTENT\n!/etc\n",
                "p.conf:2: rule !/etc (p.conf:2) contradicts /etc (p.conf:1); delete one"),
            new Case(
                "/etc CONTENT\r\n",
                "p.conf:1: carriage return at column 13 (Windows line ending); convert the file with dos2unix"),
            new Case(
                "/etc CONTENT fast\n",
                "p.conf:1: unknown option 'fast' (known: severity=, growing"),
            new Case(
                "/etc CONTENT severity=urgent\n",
                "p.conf:1: invalid severity 'urgent' (known: low, medium, high, critical)"),
            new Case("/etc CONTENT growing growing\n", "p.conf:1: option 'growing' is given twice"),
            new Case(
                "/etc CONTENT realtime=yes\n", "p.conf:1: option 'realtime=yes' takes no value"),
            new Case("/etc growing\n", "p.conf:1: rule '/etc' has no attribute expression"),
            new Case("/etc\n", "p.conf:1: rule '/etc' has no attribute expression"),
            new Case(
                "/etc type-type\n",
                "p.conf:1: attribute expression 'type-type' selects no attribute"),
            new Case(
                "/x type\n!/etc CONTENT\n",
                "p.conf:2: exclusion '!/etc' takes no attributes or options; remove 'CONTENT'"),
            new Case(
                "/x type\n!/v\n/v/*/k type\n",
                "p.conf:3: rule '/v/*/k' has a wildcard below the exclusion !/v (p.conf:2)"),
            new Case("!/var\n", "p.conf: policy has no include rule"),
            new Case("# nothing\n", "p.conf: policy has no include rule"),
            new Case("/a\u0001b type\n", "p.conf:1: control character U+0001 at column 3"),
            new Case(
                "/bin/\u202Eexe type\n",
                "p.conf:1: invisible character U+202E in pattern '/bin/%E2%80%AEexe'; write it"
                    + " as %E2%80%AE"));
    for (Case c : cases) {
      assertThat(messageFor(c.text().getBytes(StandardCharsets.UTF_8)))
          .as(c.text())
          .startsWith(c.expectedStart());
    }
  }

  @Test
  void nulByteRejected() {
    byte[] text = "/etc CONTENT\n/x\0 type\n".getBytes(StandardCharsets.UTF_8);
    assertThat(messageFor(text)).startsWith("p.conf:2: NUL byte at column 3;");
  }

  @Test
  void invalidUtf8Rejected() {
    byte[] text = {'/', 'a', (byte) 0xC3, '(', ' ', 't', 'y', 'p', 'e', '\n'};
    assertThat(messageFor(text))
        .startsWith("p.conf:1: invalid UTF-8 at byte 3 of the line; write the bytes");
  }

  @Test
  void overlongLineRejected() {
    String text = "/" + "a".repeat(PolicyParser.MAX_LINE_BYTES) + " type\n";
    assertThat(messageFor(text.getBytes(StandardCharsets.UTF_8)))
        .startsWith("p.conf:1: line is 16390 bytes, longer than the limit of 16384");
  }

  @Test
  void oversizedFileRejected() {
    byte[] text = new byte[PolicyParser.MAX_FILE_BYTES + 1];
    Arrays.fill(text, (byte) '#');
    assertThat(messageFor(text)).startsWith("p.conf: policy is 1048577 bytes, larger than");
  }

  @Test
  void policyExceptionMapsToExitCode17() {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class,
            () -> Policy.parse("p", "etc x\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(e.exitCode()).isEqualTo(ExitCode.POLICY);
  }

  @Test
  void loadReadsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("my.policy");
    Files.writeString(file, "/etc CONTENT\n");
    assertThat(Policy.load(file).rules().getFirst().source()).isEqualTo(file + ":1");
  }

  @Test
  void loadMissingFileIsOutputError(@TempDir Path dir) {
    assertThatThrownBy(() -> Policy.load(dir.resolve("absent.policy")))
        .isInstanceOf(OutputException.class)
        .hasMessageStartingWith("cannot read policy " + dir.resolve("absent.policy"));
  }

  @Test
  void loadDirectoryIsOutputError(@TempDir Path dir) {
    assertThatThrownBy(() -> Policy.load(dir)).isInstanceOf(OutputException.class);
  }

  @Test
  void loadOversizedFileRejected(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("big.policy");
    Files.write(file, new byte[PolicyParser.MAX_FILE_BYTES + 100]);
    assertThatThrownBy(() -> Policy.load(file))
        .hasMessageStartingWith(file + ": policy is 1048577 bytes");
  }
}
