package dev.telltale.cli;

import dev.telltale.run.PackageSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that say where package metadata is read and which vendor keys verify it. */
final class PackageOptions {
  @Option(
      names = "--keyring",
      paramLabel = "FILE",
      description =
          "Vendor OpenPGP public keys, armored or binary, that rpmdb header signatures are verified"
              + " with; repeat for several files. With it, init and update record the rpmdb's"
              + " headers in the baseline.")
  List<Path> keyrings = new ArrayList<>();

  @Option(
      names = "--rpmdb",
      paramLabel = "PATH",
      description =
          "rpmdb.sqlite file or its directory (default: ROOT/usr/lib/sysimage/rpm, then"
              + " ROOT/var/lib/rpm).")
  Path rpmdb;

  PackageSource source() {
    return new PackageSource(rpmdb, keyrings);
  }
}
