package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** telltale's letter strings equal rpm -V's for each kind of modification rpm detects. */
class RpmDifferentialTest {
  @TempDir Path temp;

  private static Map<String, String> fileLines(String output) {
    Map<String, String> lines = new TreeMap<>();
    for (String line : output.split("\n")) {
      int slash = line.indexOf(" /");
      boolean fileLine = line.matches("^[SM5DLUGTP.?]{9}  . /.*") || line.startsWith("missing ");
      if (fileLine && slash > 0) {
        lines.put(line.substring(slash + 1), line.substring(0, slash));
      }
    }
    return lines;
  }

  @Test
  void lettersEqualRpmVerify() throws Exception {
    ScratchRoot scratch = ScratchRoot.install(temp);
    Path root = scratch.root;
    Files.writeString(root.resolve("usr/bin/fimtest"), "#!/bin/sh\necho changed size\n");
    Files.setPosixFilePermissions(
        root.resolve("usr/bin/fimtest-data"), PosixFilePermissions.fromString("rw-------"));
    Files.setLastModifiedTime(
        root.resolve("usr/share/doc/fimtest/README"), FileTime.fromMillis(86_400_000L));
    byte[] config = Files.readAllBytes(root.resolve("etc/fimtest/fimtest.conf"));
    config[0] = 'K';
    Files.write(root.resolve("etc/fimtest/fimtest.conf"), config);
    Files.delete(root.resolve("usr/bin/fimtest-link"));
    Files.createSymbolicLink(root.resolve("usr/bin/fimtest-link"), Path.of("elsewhere"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nbin:x:1:1::/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nbin:x:1:\n");
    Files.setAttribute(root.resolve("etc/fimtest/noreplace.conf"), "unix:uid", 1);
    Files.setAttribute(root.resolve("var/lib/fimtest"), "unix:gid", 1);
    ScratchRoot.Result setcap =
        ScratchRoot.run(
            "setcap", "cap_net_raw=ep", root.resolve("usr/bin/fimtest-data").toString());
    assertThat(setcap.exit())
        .as("setcap (apt-get install -y libcap2-bin): " + setcap.output())
        .isZero();

    ScratchRoot.Result rpm = scratch.rpmVerify();
    StringWriter out = new StringWriter();
    Main.run(
        new PrintWriter(out),
        new PrintWriter(new StringWriter()),
        "packages",
        "verify",
        "--root",
        root.toString(),
        "--keyring",
        Fixtures.copy(Fixtures.FIMTEST_KEY, temp).toString());

    Map<String, String> expected = fileLines(rpm.output());
    assertThat(expected).as("rpm -V output:\n" + rpm.output()).hasSizeGreaterThanOrEqualTo(7);
    Map<String, String> actual = fileLines(out.toString());
    // rpm -V hides a missing ghost file; telltale prints it without counting it as a finding.
    assertThat(actual.remove("/var/lib/fimtest/state.db")).isEqualTo("missing   g");
    assertThat(actual).as(out.toString()).isEqualTo(expected);
  }
}
