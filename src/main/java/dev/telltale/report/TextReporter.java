package dev.telltale.report;

import dev.telltale.OutputException;
import dev.telltale.compare.AttributeChange;
import dev.telltale.compare.Change;
import dev.telltale.compare.PackageChange;
import dev.telltale.compare.Summary;
import dev.telltale.policy.Severity;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The report for people: what was checked against what, the summary, the package set changes, then
 * the unexplained changes grouped by severity from critical down, and last the changes that
 * verified package headers explain. Each group is in canonical path order. Paths appear in their
 * escaped form, so a name cannot forge a line of the report.
 */
final class TextReporter implements Reporter {
  private final Writer out;
  private final Map<Severity, Spool> bySeverity = new EnumMap<>(Severity.class);
  private final Map<Severity, Long> countBySeverity = new EnumMap<>(Severity.class);
  private final Spool explained = new Spool();
  private long explainedCount;
  private ReportContext context;

  TextReporter(Writer out) {
    this.out = out;
    for (Severity severity : Severity.values()) {
      bySeverity.put(severity, new Spool());
      countBySeverity.put(severity, 0L);
    }
  }

  @Override
  public void start(ReportContext reportContext) {
    this.context = reportContext;
  }

  @Override
  public void change(Change change) throws OutputException {
    Severity severity = change.severity();
    bySeverity.get(severity).append(describe(change).toString());
    countBySeverity.merge(severity, 1L, Long::sum);
  }

  @Override
  public void change(Change change, String explainedBy) throws OutputException {
    StringBuilder text = describe(change);
    text.append("           explained by package ").append(explainedBy).append('\n');
    explained.append(text.toString());
    explainedCount++;
  }

  private static StringBuilder describe(Change change) {
    StringBuilder text = new StringBuilder();
    text.append(String.format("%-10s %s%n", change.kind(), change.path()));
    text.append("           rule ").append(change.rule().describe()).append('\n');
    switch (change) {
      case Change.Added added -> appendEntry(text, added.after());
      case Change.Removed removed -> appendEntry(text, removed.before());
      case Change.Changed changed -> {
        for (AttributeChange difference : changed.differences()) {
          Attribute attribute = difference.attribute();
          text.append("           ").append(attribute.label()).append('\n');
          text.append("             old: ")
              .append(Values.readable(attribute, difference.before()))
              .append('\n');
          text.append("             new: ")
              .append(Values.readable(attribute, difference.after()))
              .append('\n');
        }
      }
      case Change.Unreadable unreadable ->
          text.append("           ").append(unreadable.reason()).append('\n');
    }
    return text;
  }

  private static void appendEntry(StringBuilder text, Entry entry) {
    for (Map.Entry<Attribute, String> value : entry.values().entrySet()) {
      text.append(
          String.format(
              "           %-20s %s%n",
              value.getKey().label(), Values.readable(value.getKey(), value.getValue())));
    }
  }

  @Override
  public void finish(Summary summary) throws OutputException {
    try {
      out.write(
          "telltale " + context.toolVersion() + " check of " + Values.escaped(context.host()));
      out.write(" at " + DateTimeFormatter.ISO_INSTANT.format(context.checkedAt()) + "\n");
      out.write("root:     " + context.rootDirectory() + "\n");
      out.write("baseline: " + context.baselinePath() + "\n");
      out.write("          sha256 " + context.baselineSha256() + "\n");
      out.write(
          "          made "
              + DateTimeFormatter.ISO_INSTANT.format(context.baselineCreated())
              + " on "
              + Values.escaped(context.baselineHost())
              + "\n");
      out.write("key:      " + context.keyFingerprint() + "\n");
      out.write(
          "policy:   " + context.policySource() + " (sha256 " + context.policySha256() + ")\n");
      for (String warning : context.warnings()) {
        out.write("warning:  " + warning + "\n");
      }
      out.write("\n");
      out.write(
          String.format(
              "%d added, %d removed, %d changed, %d unreadable, of %d entries compared%n",
              summary.added(),
              summary.removed(),
              summary.changed(),
              summary.unreadable(),
              summary.compared()));
      if (context.packageSource() != null || summary.explained() > 0) {
        out.write(
            String.format(
                "%d explained by verified packages, %d not explained%n",
                summary.explained(), summary.unexplained()));
      }
      if (context.packageSource() != null) {
        out.write(
            String.format(
                "packages: %d added, %d removed, %d replaced, in %s%n",
                summary.packagesAdded(),
                summary.packagesRemoved(),
                summary.packagesReplaced(),
                context.packageSource()));
      }
      if (summary.isClean()) {
        out.write("No differences.\n");
      }
      writePackageChanges();
      Severity[] severities = Severity.values();
      for (int i = severities.length - 1; i >= 0; i--) {
        Severity severity = severities[i];
        Spool spool = bySeverity.get(severity);
        if (spool.isEmpty()) {
          continue;
        }
        out.write("\n== " + severity.label() + " (" + countBySeverity.get(severity) + ") ==\n");
        spool.copyTo(out);
      }
      if (!explained.isEmpty()) {
        out.write("\n== explained by verified packages (" + explainedCount + ") ==\n");
        explained.copyTo(out);
      }
      out.flush();
    } catch (IOException e) {
      throw new OutputException("cannot write the report: " + e.getMessage(), e);
    } finally {
      List<Spool> spools = new ArrayList<>(bySeverity.values());
      spools.add(explained);
      for (Spool spool : spools) {
        try {
          spool.close();
        } catch (IOException e) {
          // NOTE: a temporary spool file that cannot be deleted is left in the temp directory.
        }
      }
    }
  }

  private void writePackageChanges() throws IOException {
    if (context.packageChanges().isEmpty()) {
      return;
    }
    out.write("\n== packages (" + context.packageChanges().size() + ") ==\n");
    for (PackageChange change : context.packageChanges()) {
      out.write(String.format("%-10s %s%n", change.kind().label(), change.nevra()));
      if (change.beforeSha256() != null) {
        out.write("           old header sha256 " + change.beforeSha256() + "\n");
      }
      if (change.afterSha256() != null) {
        out.write("           new header sha256 " + change.afterSha256() + "\n");
      }
    }
  }
}
