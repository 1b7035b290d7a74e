package dev.telltale.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.scan.Descent;
import dev.telltale.scan.FsPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultPolicyTest {
  @Test
  void everyDefaultParses() throws PolicyException {
    for (SystemKind kind : SystemKind.values()) {
      assertThat(Policy.loadDefault(kind).rules()).as(kind.name()).isNotEmpty();
    }
  }

  @Test
  void everyDefaultWatchesEtcAndUsr() throws PolicyException {
    for (SystemKind kind : SystemKind.values()) {
      Policy policy = Policy.loadDefault(kind);
      assertThat(policy.attributesFor(FsPath.of("/usr/bin/sudo"))).as(kind.name()).isNotNull();
      assertThat(policy.attributesFor(FsPath.of("/etc/hosts"))).as(kind.name()).isNotNull();
    }
  }

  @Test
  void dom0RpcPolicyCriticalRealtime() throws PolicyException {
    Rule rule =
        Policy.loadDefault(SystemKind.QUBES_DOM0)
            .ruleFor(FsPath.of("/etc/qubes/policy.d/30-user.policy"));
    assertThat(rule.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(rule.realtime()).isTrue();
  }

  @Test
  void dom0LvmArchiveExcluded() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.QUBES_DOM0);
    assertThat(policy.attributesFor(FsPath.of("/etc/lvm/archive/qubes_dom0_00042.vg"))).isNull();
  }

  @Test
  void dom0LvmArchiveDirectoryRecorded() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.QUBES_DOM0);
    assertThat(policy.attributesFor(FsPath.of("/etc/lvm/archive"))).isNotNull();
  }

  @Test
  void dom0LvmArchiveNotListed() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.QUBES_DOM0);
    assertThat(policy.descentBelow(FsPath.of("/etc/lvm/archive"))).isEqualTo(Descent.NONE);
  }

  @Test
  void dom0WalksIntoEfiPartition() throws PolicyException {
    assertThat(Policy.loadDefault(SystemKind.QUBES_DOM0).mayCrossInto(FsPath.of("/boot/efi")))
        .isTrue();
  }

  @Test
  void dom0ProcNotWalked() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.QUBES_DOM0);
    assertThat(policy.descentBelow(FsPath.of("/proc"))).isEqualTo(Descent.NONE);
  }

  @Test
  void dom0UserAutostartWatched() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.QUBES_DOM0);
    assertThat(policy.attributesFor(FsPath.of("/home/user/.config/autostart/evil.desktop")))
        .isNotNull();
  }

  @Test
  void dom0QubesXmlWatched() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.QUBES_DOM0);
    assertThat(policy.ruleFor(FsPath.of("/var/lib/qubes/qubes.xml")).severity())
        .isEqualTo(Severity.HIGH);
  }

  @Test
  void debianJournalExcluded() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.DEBIAN);
    assertThat(policy.attributesFor(FsPath.of("/var/log/journal/abc/system.journal"))).isNull();
  }

  @Test
  void fedoraLogsGrowing() throws PolicyException {
    Policy policy = Policy.loadDefault(SystemKind.FEDORA);
    assertThat(policy.ruleFor(FsPath.of("/var/log/secure")).growing()).isTrue();
  }

  private static SystemKind detect(Path root, String file, String content) throws IOException {
    Path target = root.resolve(file);
    Files.createDirectories(target.getParent());
    Files.writeString(target, content);
    return SystemKind.detect(root);
  }

  @Test
  void detectQubesRelease(@TempDir Path root) throws IOException {
    assertThat(detect(root, "etc/qubes-release", "Qubes release 4.2.3 (R4.2)\n"))
        .isEqualTo(SystemKind.QUBES_DOM0);
  }

  @Test
  void detectFedoraId(@TempDir Path root) throws IOException {
    assertThat(detect(root, "etc/os-release", "NAME=\"Fedora Linux\"\nID=fedora\n"))
        .isEqualTo(SystemKind.FEDORA);
  }

  @Test
  void detectUbuntuLikeDebian(@TempDir Path root) throws IOException {
    assertThat(detect(root, "etc/os-release", "ID=ubuntu\nID_LIKE=debian\n"))
        .isEqualTo(SystemKind.DEBIAN);
  }

  @Test
  void detectIdLikeRhel(@TempDir Path root) throws IOException {
    assertThat(detect(root, "etc/os-release", "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"))
        .isEqualTo(SystemKind.FEDORA);
  }

  @Test
  void detectUsrLibFallback(@TempDir Path root) throws IOException {
    assertThat(detect(root, "usr/lib/os-release", "ID=debian\n")).isEqualTo(SystemKind.DEBIAN);
  }

  @Test
  void detectUnknownGeneric(@TempDir Path root) throws IOException {
    assertThat(detect(root, "etc/os-release", "ID=arch\n")).isEqualTo(SystemKind.GENERIC);
  }

  @Test
  void detectEmptyRootGeneric(@TempDir Path root) {
    assertThat(SystemKind.detect(root)).isEqualTo(SystemKind.GENERIC);
  }

  @Test
  void detectIgnoresSymlinkedOsRelease(@TempDir Path root) throws IOException {
    Path outside = Files.writeString(root.resolve("elsewhere"), "ID=fedora\n");
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/os-release"), outside);
    assertThat(SystemKind.detect(root)).isEqualTo(SystemKind.GENERIC);
  }
}
