package dev.telltale.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.telltale.ExitCode;
import dev.telltale.cli.Main;
import dev.telltale.testing.DebianPackages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built bundle the way dom0 runs it: no {@code java} on PATH, no JAVA_HOME, no network
 * interface ({@code unshare --net}), the bundle, the keys and {@code /tmp} mounted read-only.
 * Failsafe runs this after {@code ./mvnw -Pbundle package}; each test works on a copy of the bundle
 * so it can sign or damage it.
 */
class BundleIT {
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir Path directory;
  private Path bundle;
  private Path data;
  private Path tools;

  @BeforeEach
  void copyBundle() throws Exception {
    Path built = Path.of(System.getProperty("telltale.bundle", "target/bundle/telltale"));
    assumeThat(built.resolve("bin/telltale"))
        .as("run ./mvnw -B -Pbundle verify to build the bundle first")
        .isRegularFile();
    DebianPackages.require("unshare", "util-linux");
    bundle = directory.resolve("media/telltale");
    Files.createDirectories(bundle.getParent());
    // cp --archive keeps modification times, which the AOT cache checks.
    run(List.of("cp", "--archive", built.toString(), bundle.toString()));
    data = Files.createDirectories(directory.resolve("keys"));
    tools = Files.createDirectories(directory.resolve("tools"));
    // The launcher needs readlink; nothing else from PATH, and certainly no java.
    Files.copy(DebianPackages.require("readlink", "coreutils"), tools.resolve("readlink"));
    Files.setPosixFilePermissions(
        tools.resolve("readlink"),
        java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  @Test
  void versionRunsOffline() throws Exception {
    Result result = offline("--version");

    assertThat(result.exitCode()).as(result.text()).isZero();
    assertThat(result.stdout()).startsWith("telltale ");
  }

  @Test
  void environmentHasNoJavaAndNoNetwork() throws Exception {
    Result result =
        offlineShell("command -v java; echo java=$?; ls /sys/class/net; echo \"$JAVA_HOME\"");

    assertThat(result.stdout()).contains("java=1");
    assertThat(result.stdout()).doesNotContain("eth");
  }

  @Test
  void signedSelfcheckPassesOffline() throws Exception {
    KeyPair pair = TestBundles.newKeyPair();
    BundleBuilder.seal(bundle, TestBundles.writePrivateKey(pair, directory.resolve("signing.pem")));
    Path pub = TestBundles.writePublicKey(pair, data.resolve("builder.pub"));

    Result result = offline("selfcheck", "--signature", "--pub", pub.toString());

    assertThat(result.exitCode()).as(result.text()).isZero();
    assertThat(result.stdout())
        .contains("signed by " + ManifestSignature.fingerprint(pair.getPublic()));
  }

  @Test
  void flippedDependencyByteFailsSelfcheck() throws Exception {
    // sqlite's native library: a dependency that selfcheck itself never loads.
    Path library = bundle.resolve(BundleBuilder.SQLITE_NATIVE);
    byte[] bytes = Files.readAllBytes(library);
    bytes[bytes.length / 2] ^= 1;
    Files.write(library, bytes);

    Result result = offline("selfcheck");

    assertThat(result.exitCode()).as(result.text()).isEqualTo(ExitCode.TAMPERED.code());
    assertThat(result.stdout()).contains("changed " + BundleBuilder.SQLITE_NATIVE);
  }

  @Test
  void launcherWorksThroughSymlink() throws Exception {
    Path link =
        Files.createSymbolicLink(directory.resolve("telltale"), bundle.resolve("bin/telltale"));

    Result result = offlineCommand(List.of(link.toString(), "--version"));

    assertThat(result.exitCode()).as(result.text()).isZero();
  }

  @Test
  void initAndCheckRunOnReadOnlyMedia() throws Exception {
    List<String> commands =
        List.copyOf(
            Main.commandLine(
                    new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands()
                .keySet());
    // NOTE: keygen, init and check are written in other branches; until they are merged this
    // test is skipped here, and after the merge it runs the whole offline workflow.
    assumeThat(commands).as("needs keygen, init and check").contains("keygen", "init", "check");
    Path tree = Files.createDirectories(directory.resolve("tree/etc"));
    TestBundles.write(tree.resolve("hostname"), "dom0\n");
    Path policy = directory.resolve("keys/telltale.policy");
    TestBundles.write(policy, "/ sha256\n");
    Result keygen = offlineWritable("keygen", "--key-dir", data.toString());
    assertThat(keygen.exitCode()).as(keygen.text()).isZero();
    Result init =
        offlineWritable(
            "init",
            "--policy",
            policy.toString(),
            "--root",
            tree.getParent().toString(),
            "--db",
            data.resolve("baseline.db").toString(),
            "--key-dir",
            data.toString());
    assertThat(init.exitCode()).as(init.text()).isZero();

    Result check =
        offline(
            "check",
            "--policy",
            policy.toString(),
            "--root",
            tree.getParent().toString(),
            "--db",
            data.resolve("baseline.db").toString(),
            "--key-dir",
            data.toString());

    assertThat(check.exitCode()).as(check.text()).isZero();
  }

  @Test
  void archiveIsUnder60Megabytes() throws Exception {
    Path archive = Path.of(System.getProperty("telltale.bundleArchive", "missing.tar.gz"));

    assertThat(Files.size(archive)).isLessThan(60L * 1000 * 1000);
  }

  private record Result(int exitCode, String stdout, String stderr) {
    String text() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private Result offline(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(bundle.resolve("bin/telltale").toString()));
    command.addAll(List.of(arguments));
    return offlineCommand(command);
  }

  private Result offlineShell(String script) throws Exception {
    return offlineCommand(List.of("/bin/bash", "-c", script));
  }

  /** Runs telltale offline with the key directory writable, as keygen and init need. */
  private Result offlineWritable(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(bundle.resolve("bin/telltale").toString()));
    command.addAll(List.of(arguments));
    return isolated(command, false);
  }

  private Result offlineCommand(List<String> command) throws Exception {
    return isolated(command, true);
  }

  /**
   * Runs a command in new network and mount namespaces, with /tmp and the bundle bind-mounted
   * read-only, and the key directory read-only when {@code readOnlyKeys}, else writable, and an
   * environment holding only PATH (a directory with readlink) and HOME (absent).
   */
  private Result isolated(List<String> command, boolean readOnlyKeys) throws Exception {
    String script =
        """
        set -e
        mount --bind -o ro /tmp /tmp
        mount --bind -o ro "$1" "$1"
        if [ "$2" = ro ]; then mount --bind -o ro "$3" "$3"; else mount --bind "$3" "$3"; mount -o remount,bind,rw "$3"; fi
        tools=$4
        shift 4
        exec env -i PATH="$tools" HOME=/nonexistent TELLTALE_PASSPHRASE=offline-test "$@"
        """;
    List<String> full =
        new ArrayList<>(
            List.of(
                DebianPackages.require("unshare", "util-linux").toString(),
                "--net",
                "--mount",
                "--propagation",
                "private",
                "/bin/bash",
                "-c",
                script,
                "isolated",
                bundle.toString(),
                readOnlyKeys ? "ro" : "rw",
                data.toString(),
                tools.toString()));
    full.addAll(command);
    Process process = new ProcessBuilder(full).start();
    process.getOutputStream().close();
    var stderr = process.getErrorStream();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(process.exitValue(), out, err);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("failed: " + command);
    }
  }
}
