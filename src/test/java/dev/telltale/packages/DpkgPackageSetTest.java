package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.baseline.BaselineHeader.PackageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgPackageSetTest {
  private static final String STATUS =
      """
      Package: zlib1g
      Status: install ok installed
      Architecture: amd64
      Version: 1:1.3.dfsg-3
      Description: compression library
       a continuation line with Version: 9 in it

      Package: removed-tool
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 2.0

      Package: base-files
      Status: install ok installed
      Architecture: all
      Version: 13.8
      """;

  @TempDir Path admindir;

  private PackageSet read() throws Exception {
    return PackageSet.readDpkg(admindir);
  }

  @Test
  void recordsInstalledPackagesSortedByName() throws Exception {
    Files.writeString(admindir.resolve("status"), STATUS);
    Files.createDirectories(admindir.resolve("info"));

    assertThat(read().packages())
        .extracting(PackageRecord::nevra)
        .containsExactly(
            "dpkg-unsigned:base-files:all=13.8", "dpkg-unsigned:zlib1g:amd64=1:1.3.dfsg-3");
  }

  @Test
  void changedChecksumListChangesOnlyItsPackage() throws Exception {
    Files.writeString(admindir.resolve("status"), STATUS);
    Path info = Files.createDirectories(admindir.resolve("info"));
    Files.writeString(info.resolve("zlib1g:amd64.md5sums"), "0123  usr/lib/libz.so.1\n");
    Files.writeString(info.resolve("base-files.md5sums"), "4567  etc/issue\n");
    PackageSet before = read();

    Files.writeString(info.resolve("zlib1g:amd64.md5sums"), "89ab  usr/lib/libz.so.1\n");
    PackageSet after = read();

    assertThat(after.packages().get(0)).isEqualTo(before.packages().get(0));
    assertThat(after.packages().get(1).headerSha256())
        .isNotEqualTo(before.packages().get(1).headerSha256());
  }
}
