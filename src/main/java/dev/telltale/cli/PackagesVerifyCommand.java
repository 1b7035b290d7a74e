package dev.telltale.cli;

import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import dev.telltale.packages.PackageVerification;
import dev.telltale.packages.VerifyReport;
import dev.telltale.packages.VerifyReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code telltale packages verify}: the rpmdb or dpkg database against the installed files. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify each rpmdb header's OpenPGP signature against the keys given with --keyring, then"
          + " compare installed files with the signed metadata, printing rpm -V's letters.",
      "On Debian systems, compare files with dpkg's md5sums and conffiles, which are unsigned."
    })
public final class PackagesVerifyCommand implements Callable<Integer> {
  /** Output formats. */
  public enum Format {
    TEXT,
    JSON
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Installed tree to check (default: /).")
  Path root = Path.of("/");

  @Option(
      names = "--rpmdb",
      paramLabel = "PATH",
      description =
          "rpmdb.sqlite file or its directory (default: ROOT/usr/lib/sysimage/rpm, then"
              + " ROOT/var/lib/rpm).")
  Path rpmdb;

  @Option(
      names = "--admindir",
      paramLabel = "DIR",
      description = "dpkg admin directory (default: ROOT/var/lib/dpkg); used when no rpmdb exists.")
  Path admindir;

  @Option(
      names = "--keyring",
      paramLabel = "FILE",
      description = "Vendor OpenPGP public keys, armored or binary; repeat for several files.")
  List<Path> keyrings = new ArrayList<>();

  @Option(names = "--headers-only", description = "Check header signatures only, not files.")
  boolean headersOnly;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: text).")
  Format format = Format.TEXT;

  @Override
  public Integer call() throws TelltaleException {
    if (rpmdb != null && admindir != null) {
      throw new UsageException("--rpmdb and --admindir exclude each other: give one of them");
    }
    VerifyReport report = PackageVerification.run(root, rpmdb, admindir, keyrings, headersOnly);
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case TEXT -> VerifyReportWriter.text(report, out);
      case JSON -> VerifyReportWriter.json(report, out);
    }
    out.flush();
    return report.exitCode();
  }
}
