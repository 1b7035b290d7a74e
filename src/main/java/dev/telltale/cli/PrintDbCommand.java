package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.report.Values;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "print-db",
    mixinStandardHelpOptions = true,
    description = {
      "Print a baseline's header and entries.",
      "With --pub or --key-dir the signature is verified first (exit code 20 when it fails);"
          + " without them the content is printed unverified, and says so."
    })
final class PrintDbCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description =
          "Baseline file. Default: /var/lib/telltale/baseline.db as root,"
              + " $XDG_DATA_HOME/telltale/baseline.db otherwise.")
  Path baselineFile;

  @Mixin KeyOptions keys;

  @Option(
      names = "--pub",
      paramLabel = "FILE",
      description = "Public key file that verifies the baseline before it is printed.")
  Path publicKeyFile;

  @Override
  public Integer call() throws TelltaleException {
    PrintWriter out = spec.commandLine().getOut();
    Path file = baselineFile != null ? baselineFile : Locations.defaults().baseline();
    boolean verify = publicKeyFile != null || keys.keyDirectory != null;
    try (BaselineReader reader =
        verify
            ? BaselineReader.open(file, keys.verifyKey(publicKeyFile))
            : BaselineReader.openUnverified(file)) {
      BaselineHeader header = reader.header();
      out.println("baseline:       " + file);
      out.println("sha256:         " + reader.fileSha256());
      out.println(
          "signature:      "
              + (verify
                  ? "verified with " + header.keyFingerprint()
                  : "NOT VERIFIED (give --pub or --key-dir to verify it)"));
      out.println("format:         " + header.formatVersion());
      out.println("created:        " + header.created());
      out.println("host:           " + Values.escaped(header.host()));
      out.println("root:           " + header.root());
      out.println("policy sha256:  " + header.policySha256());
      out.println("tool version:   " + Values.escaped(header.toolVersion()));
      out.println("key:            " + header.keyFingerprint());
      for (BaselineHeader.PackageRecord record : header.packages()) {
        out.println(
            "package:        "
                + Values.escaped(record.nevra())
                + " (header sha256 "
                + record.headerSha256()
                + ")");
      }
      out.println();
      long count = 0;
      try (EntryStream entries = reader.entries()) {
        for (Entry entry = entries.next(); entry != null; entry = entries.next()) {
          out.println(format(entry));
          count++;
        }
      }
      out.println();
      out.println(count + " entries");
    }
    return ExitCode.CLEAN.code();
  }

  private static String format(Entry entry) {
    StringBuilder line = new StringBuilder(entry.path().toString());
    for (Map.Entry<Attribute, String> value : entry.values().entrySet()) {
      line.append(' ').append(value.getKey().policyName()).append('=').append(value.getValue());
    }
    if (entry.hasError()) {
      line.append(" error=\"").append(Values.escaped(entry.error())).append('"');
    }
    return line.toString();
  }
}
