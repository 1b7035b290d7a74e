package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import dev.telltale.testing.Entries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookups in the index of verified headers, and whether scanned entries match their metadata. */
class PackageIndexTest {
  @TempDir static Path temp;
  private static PackageIndex index;
  private static PackageFile program;
  private static PackageFile link;

  @BeforeAll
  static void load() throws Exception {
    ScratchRoot scratch = ScratchRoot.install(temp);
    Path key = Fixtures.copy(Fixtures.FIMTEST_KEY, temp);
    index = PackageIndex.load(scratch.root, null, List.of(key));
    program = index.lookup(FsPath.of("/usr/bin/fimtest")).orElseThrow();
    link = index.lookup(FsPath.of("/usr/bin/fimtest-link")).orElseThrow();
  }

  /** Returns an entry with exactly the package's metadata, with {@code overrides} appended. */
  private static Entry programEntry(String... overrides) {
    List<String> values = new ArrayList<>();
    values.add("mode=" + program.mode());
    values.add("user=" + program.user());
    values.add("group=" + program.group());
    values.add("size=" + program.sizeBytes());
    values.add("mtime=" + program.mtimeSeconds() + ".000000000");
    values.add(program.digestAlgorithm() + "=" + program.digestHex());
    values.addAll(List.of(overrides));
    return Entries.file("/usr/bin/fimtest", values.toArray(String[]::new));
  }

  @Test
  void lookupFindsPackageFile() {
    assertThat(program.nevra()).isEqualTo("fimtest-1.0-1.noarch");
  }

  @Test
  void lookupOfUnownedPathIsEmpty() {
    assertThat(index.lookup(FsPath.of("/usr/bin/not-packaged"))).isEmpty();
  }

  @Test
  void packagesListVerifiedHeader() {
    assertThat(index.packages())
        .extracting(InstalledPackage::nevra)
        .containsExactly("fimtest-1.0-1.noarch");
  }

  @Test
  void indexWithoutKeysIsEmpty() throws Exception {
    PackageIndex unverified = PackageIndex.load(temp.resolve("root"), null, List.of());

    assertThat(unverified.lookup(FsPath.of("/usr/bin/fimtest"))).isEmpty();
    assertThat(unverified.rejected())
        .extracting(PackageResult::nevra)
        .contains("fimtest-1.0-1.noarch");
  }

  @Test
  void exactMetadataMatches() {
    assertThat(PackageIndex.matches(programEntry(), program)).isTrue();
  }

  @Test
  void eachDifferingAttributeFailsMatch() {
    String[][] cases = {
      {"mode=0700"},
      {"user=nobody"},
      {"group=nogroup"},
      {"size=" + (program.sizeBytes() + 1)},
      {"mtime=" + (program.mtimeSeconds() + 1) + ".000000000"},
      {program.digestAlgorithm() + "=" + "0".repeat(program.digestHex().length())},
    };
    for (String[] override : cases) {
      assertThat(PackageIndex.matches(programEntry(override), program))
          .as("entry with %s", override[0])
          .isFalse();
    }
  }

  @Test
  void entryWithoutDigestFailsMatch() {
    Entry entry =
        Entries.file("/usr/bin/fimtest", "mode=" + program.mode(), "size=" + program.sizeBytes());

    assertThat(PackageIndex.matches(entry, program)).isFalse();
  }

  @Test
  void entryWithErrorFailsMatch() {
    assertThat(PackageIndex.matches(programEntry().withError("open: EACCES"), program)).isFalse();
  }

  @Test
  void directoryInPlaceOfFileFailsMatch() {
    Entry entry = Entries.dir("/usr/bin/fimtest", "mode=" + program.mode());

    assertThat(PackageIndex.matches(entry, program)).isFalse();
  }

  @Test
  void symlinkWithPackageTargetMatches() {
    Entry entry =
        Entries.of("/usr/bin/fimtest-link", EntryType.SYMLINK, "target=" + link.linkTarget());

    assertThat(PackageIndex.matches(entry, link)).isTrue();
  }

  @Test
  void symlinkWithOtherTargetFailsMatch() {
    Entry entry = Entries.of("/usr/bin/fimtest-link", EntryType.SYMLINK, "target=elsewhere");

    assertThat(PackageIndex.matches(entry, link)).isFalse();
  }
}
