package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgVerificationTest {
  @TempDir Path temp;

  private Path admindir() throws Exception {
    Path admin = temp.resolve("admindir");
    Files.createDirectories(admin.resolve("info"));
    for (String name : new String[] {"status", "info/format", "info/fimtest:amd64.md5sums"}) {
      Files.copy(
          Fixtures.class.getResourceAsStream("/fixtures/deb/admindir/" + name),
          admin.resolve(name));
    }
    return admin;
  }

  private Path installedRoot() throws Exception {
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createDirectories(root.resolve("usr/share/doc/fimtest"));
    Files.createDirectories(root.resolve("etc/fimtest"));
    ScratchRoot.Result unpack =
        ScratchRoot.run(
            "dpkg-deb",
            "-x",
            Fixtures.copy("deb/fimtest_1.0-1_amd64.deb", temp).toString(),
            root.toString());
    assertThat(unpack.exit()).as(unpack.output()).isZero();
    return root;
  }

  private int verify(Path root, Path admin, StringWriter out) {
    return Main.run(
        new PrintWriter(out),
        new PrintWriter(new StringWriter()),
        "packages",
        "verify",
        "--root",
        root.toString(),
        "--admindir",
        admin.toString());
  }

  @Test
  void cleanDpkgRootVerifies() throws Exception {
    StringWriter out = new StringWriter();
    assertThat(verify(installedRoot(), admindir(), out)).as(out.toString()).isZero();
    assertThat(out.toString()).contains("dpkg metadata is not signed");
  }

  @Test
  void changedConffileIsReported() throws Exception {
    Path root = installedRoot();
    Files.writeString(root.resolve("etc/fimtest/fimtest.conf"), "edited\n");
    StringWriter out = new StringWriter();
    assertThat(verify(root, admindir(), out)).isEqualTo(4);
    assertThat(out.toString()).contains("..5......  c /etc/fimtest/fimtest.conf");
  }

  @Test
  void missingBinaryIsReported() throws Exception {
    Path root = installedRoot();
    Files.delete(root.resolve("usr/bin/fimtest"));
    StringWriter out = new StringWriter();
    assertThat(verify(root, admindir(), out)).isEqualTo(2);
    assertThat(out.toString()).contains("missing     /usr/bin/fimtest");
  }
}
