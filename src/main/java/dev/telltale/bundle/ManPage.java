package dev.telltale.bundle;

import dev.telltale.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders man pages in troff ({@code man(7)} macros) from the picocli model, one page per command,
 * so the pages cannot drift from {@code --help}.
 *
 * <p>picocli-codegen's ManPageGenerator writes AsciiDoc, and turning that into troff needs
 * Asciidoctor, which in a Maven build means AsciidoctorJ with JRuby (tens of megabytes and many
 * seconds of start-up per build). The subset of troff used here is small enough to write directly.
 */
public final class ManPage {
  private ManPage() {}

  /** A rendered page: its file name (for example {@code telltale-selfcheck.1}) and content. */
  public record Page(String fileName, String troff) {}

  /** Renders the page of {@code root} and of every subcommand below it, except picocli's help. */
  public static List<Page> renderAll(CommandLine root, String version) {
    List<Page> pages = new ArrayList<>();
    List<CommandLine> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      CommandLine command = pending.removeFirst();
      if (command.getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      pages.add(render(command.getCommandSpec(), version));
      pending.addAll(command.getSubcommands().values().stream().distinct().toList());
    }
    return pages;
  }

  /** Returns the page name of a command: its qualified name with spaces replaced by dashes. */
  public static String pageName(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  /** Renders the page of one command. */
  public static Page render(CommandSpec spec, String version) {
    String name = pageName(spec);
    StringBuilder out = new StringBuilder();
    out.append(".TH \"")
        .append(name.toUpperCase(Locale.ROOT))
        .append("\" 1 \"\" \"telltale ")
        .append(escape(version))
        .append("\" \"telltale manual\"\n");
    String[] description = spec.usageMessage().description();
    out.append(".SH NAME\n")
        .append(escape(name))
        .append(" \\- ")
        .append(escape(description.length == 0 ? "" : firstSentence(description[0])))
        .append('\n');
    out.append(".SH SYNOPSIS\n").append(synopsis(spec)).append('\n');
    out.append(".SH DESCRIPTION\n");
    for (String paragraph : description) {
      out.append(".PP\n").append(escape(paragraph)).append('\n');
    }
    appendArguments(out, spec);
    appendOptions(out, spec);
    appendCommands(out, spec);
    if (spec.parent() == null) {
      appendExitStatus(out);
    }
    out.append(".SH SEE ALSO\n");
    out.append(spec.parent() == null ? "" : "\\fB" + escape(pageName(spec.root())) + "\\fR(1), ");
    out.append("the guides in share/doc/telltale of the bundle.\n");
    return new Page(name + ".1", out.toString());
  }

  private static void appendArguments(StringBuilder out, CommandSpec spec) {
    List<PositionalParamSpec> positionals = spec.positionalParameters();
    if (positionals.isEmpty()) {
      return;
    }
    out.append(".SH ARGUMENTS\n");
    for (PositionalParamSpec positional : positionals) {
      out.append(".TP\n\\fI").append(escape(positional.paramLabel())).append("\\fR\n");
      out.append(escape(String.join(" ", positional.description()))).append('\n');
    }
  }

  private static void appendOptions(StringBuilder out, CommandSpec spec) {
    if (spec.options().isEmpty()) {
      return;
    }
    out.append(".SH OPTIONS\n");
    for (OptionSpec option : spec.options()) {
      out.append(".TP\n").append(optionHeading(option)).append('\n');
      out.append(escape(String.join(" ", option.description()))).append('\n');
    }
  }

  private static void appendCommands(StringBuilder out, CommandSpec spec) {
    List<CommandSpec> subcommands = subcommandSpecs(spec);
    if (subcommands.isEmpty()) {
      return;
    }
    out.append(".SH COMMANDS\n");
    for (CommandSpec subcommand : subcommands) {
      String[] lines = subcommand.usageMessage().description();
      out.append(".TP\n\\fB").append(escape(subcommand.name())).append("\\fR\n");
      out.append(escape(lines.length == 0 ? "" : firstSentence(lines[0])));
      out.append(" See \\fB").append(escape(pageName(subcommand))).append("\\fR(1).\n");
    }
  }

  private static List<CommandSpec> subcommandSpecs(CommandSpec spec) {
    return spec.subcommands().values().stream()
        .distinct()
        .filter(line -> !(line.getCommand() instanceof CommandLine.HelpCommand))
        .map(CommandLine::getCommandSpec)
        .toList();
  }

  private static String synopsis(CommandSpec spec) {
    StringBuilder out = new StringBuilder(".B ").append(escape(spec.qualifiedName())).append('\n');
    List<String> parts = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      String part = "\\fB" + escape(option.longestName()) + "\\fR" + parameter(option);
      parts.add(option.required() ? part : "[" + part + "]");
    }
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      String part = "\\fI" + escape(positional.paramLabel()) + "\\fR";
      parts.add(positional.required() ? part : "[" + part + "]");
    }
    if (!spec.subcommands().isEmpty()) {
      parts.add("\\fICOMMAND\\fR");
    }
    return out.append(String.join(" ", parts)).toString();
  }

  private static String optionHeading(OptionSpec option) {
    List<String> names = new ArrayList<>();
    for (String name : option.names()) {
      names.add("\\fB" + escape(name) + "\\fR");
    }
    return String.join(", ", names) + parameter(option);
  }

  private static String parameter(ArgSpec arg) {
    if (arg.arity().max() == 0) {
      return "";
    }
    return "=\\fI" + escape(arg.paramLabel()) + "\\fR";
  }

  private static void appendExitStatus(StringBuilder out) {
    out.append(".SH EXIT STATUS\n");
    for (ExitCode code : ExitCode.values()) {
      out.append(".TP\n")
          .append(code.code())
          .append('\n')
          .append(escape(meaning(code)))
          .append('\n');
    }
  }

  private static String meaning(ExitCode code) {
    return switch (code) {
      case CLEAN -> "Checked, no differences.";
      case ADDED -> "Entries were added (bit, OR-ed with the other finding bits).";
      case REMOVED -> "Entries were removed (bit).";
      case CHANGED -> "Entries were changed (bit).";
      case INCOMPLETE -> "Coverage incomplete: some entries could not be read or verified (bit).";
      case USAGE -> "Invalid command line.";
      case POLICY -> "Invalid policy.";
      case IO ->
          "I/O error outside the scanned tree: output, baseline or key not readable or"
              + " writable.";
      case BASELINE_FORMAT -> "Baseline missing, truncated, corrupt or of an unknown format.";
      case TAMPERED -> "Signature or seal verification failed: treat as tampering.";
      case KEY -> "Key unusable: wrong passphrase, missing or malformed key.";
      case INTERNAL -> "Internal error.";
    };
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /**
   * Escapes picocli description text for one troff line: picocli's {@code %n} and {@code %%} become
   * a space and a percent sign, then backslashes, dashes and a leading dot or apostrophe are
   * escaped.
   */
  static String escape(String text) {
    String plain = text.replace("%n", " ").replace("%%", "%");
    String escaped = plain.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
    if (escaped.startsWith(".") || escaped.startsWith("'")) {
      escaped = "\\&" + escaped;
    }
    return escaped;
  }
}
