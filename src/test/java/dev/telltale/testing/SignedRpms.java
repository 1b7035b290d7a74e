package dev.telltale.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds small noarch rpms with Debian's rpmbuild, signs them with a throwaway gpg key made in a
 * private GNUPGHOME, and installs them into scratch roots with {@code rpm --root}.
 */
public final class SignedRpms {
  private final Path work;
  private final Path gnupgHome;
  private final Path publicKey;
  private final Path gpgProgram;

  private SignedRpms(Path work, Path gnupgHome, Path publicKey, Path gpgProgram) {
    this.work = work;
    this.gpgProgram = gpgProgram;
    this.gnupgHome = gnupgHome;
    this.publicKey = publicKey;
  }

  /** Makes a throwaway signing key below {@code work}; fails naming any missing package. */
  public static SignedRpms create(Path work) throws Exception {
    DebianPackages.require("rpm", "rpm");
    DebianPackages.require("rpmbuild", "rpm");
    DebianPackages.require("rpmsign", "rpm");
    Path gpg = DebianPackages.require("gpg", "gpg");
    Path home = Files.createDirectories(work.resolve("gnupg"));
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    SignedRpms rpms = new SignedRpms(work, home, work.resolve("vendor-key.asc"), gpg);
    rpms.gpg(
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-gen-key",
        "telltale test vendor <vendor@example.invalid>",
        "rsa2048",
        "sign",
        "never");
    String armored = rpms.gpg("--armor", "--export", "vendor@example.invalid");
    Files.writeString(rpms.publicKey, armored);
    return rpms;
  }

  /** Returns the armored public key that verifies the packages. */
  public Path publicKey() {
    return publicKey;
  }

  /**
   * Builds and signs {@code NAME-VERSION-1.noarch.rpm} from a spec body (everything after the
   * preamble: {@code %install} and {@code %files}), in which {@code %{ver}} is the version.
   *
   * @param buildHost the BUILDHOST tag; a different value gives another header for the same nevra
   */
  public Path build(String name, String version, String buildHost, String specBody)
      throws Exception {
    Path top =
        Files.createDirectories(work.resolve("rpmbuild-" + name + "-" + version + "-" + buildHost));
    Path spec = top.resolve(name + ".spec");
    Files.writeString(
        spec,
        "Name: "
            + name
            + "\nVersion: "
            + version
            + "\nRelease: 1\nSummary: test package\nLicense: MIT\nBuildArch: noarch\n"
            + "AutoReqProv: no\n\n%description\nTest package.\n\n"
            + specBody);
    run(
        List.of(
            "rpmbuild",
            "-bb",
            "--quiet",
            "--define",
            "_topdir " + top,
            "--define",
            "ver " + version,
            "--define",
            "_buildhost " + buildHost,
            spec.toString()));
    Path rpm = top.resolve("RPMS/noarch/" + name + "-" + version + "-1.noarch.rpm");
    run(
        List.of(
            "rpmsign",
            "--addsign",
            "--define",
            "_gpg_name vendor@example.invalid",
            "--define",
            "_gpg_path " + gnupgHome,
            "--define",
            "__gpg " + gpgProgram,
            "--define",
            "_gpg_sign_cmd_extra_args --batch",
            rpm.toString()));
    return rpm;
  }

  /** Runs {@code rpm --root ROOT --dbpath /var/lib/rpm --nodeps --nosignature ARGS...}. */
  public static String rpm(Path root, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "rpm",
                "--root",
                root.toString(),
                "--dbpath",
                "/var/lib/rpm",
                "--nodeps",
                "--nosignature"));
    command.addAll(List.of(args));
    return run(command);
  }

  private String gpg(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of("gpg", "--homedir", gnupgHome.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
