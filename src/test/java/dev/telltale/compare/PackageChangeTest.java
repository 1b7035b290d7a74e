package dev.telltale.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.baseline.BaselineHeader.PackageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageChangeTest {
  private static final PackageRecord BASH = new PackageRecord("a".repeat(64), "bash-5.2-1.x86_64");
  private static final PackageRecord BASH_FORGED =
      new PackageRecord("b".repeat(64), "bash-5.2-1.x86_64");
  private static final PackageRecord SUDO = new PackageRecord("c".repeat(64), "sudo-1.9-1.x86_64");
  private static final PackageRecord VIM = new PackageRecord("d".repeat(64), "vim-9.1-1.x86_64");

  @Test
  void sameSetHasNoChanges() {
    assertThat(PackageChange.between(List.of(BASH, SUDO), List.of(SUDO, BASH))).isEmpty();
  }

  @Test
  void newDigestWithSameNevraIsReplaced() {
    assertThat(PackageChange.between(List.of(BASH), List.of(BASH_FORGED)))
        .containsExactly(
            new PackageChange(
                PackageChange.Kind.REPLACED,
                BASH.nevra(),
                BASH.headerSha256(),
                BASH_FORGED.headerSha256()));
  }

  @Test
  void addedAndRemovedAreSeparate() {
    assertThat(PackageChange.between(List.of(BASH, SUDO), List.of(BASH, VIM)))
        .containsExactly(
            new PackageChange(PackageChange.Kind.REMOVED, SUDO.nevra(), SUDO.headerSha256(), null),
            new PackageChange(PackageChange.Kind.ADDED, VIM.nevra(), null, VIM.headerSha256()));
  }

  @Test
  void applyRecordsAcceptedChanges() {
    List<PackageChange> changes =
        PackageChange.between(List.of(BASH, SUDO), List.of(BASH_FORGED, VIM));

    assertThat(PackageChange.apply(List.of(BASH, SUDO), changes)).containsExactly(BASH_FORGED, VIM);
  }
}
