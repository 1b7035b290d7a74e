package dev.telltale.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Fails when a command or option of the picocli model has no description, is missing from its man
 * page, or is not mentioned anywhere under docs/. Commands added in other packages are covered as
 * soon as Main registers them.
 */
class DocumentationTest {
  private static final Path DOCS = Path.of("docs");

  private static List<CommandSpec> commands() {
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    List<CommandSpec> specs = new ArrayList<>();
    List<CommandLine> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      CommandLine command = pending.removeFirst();
      if (command.getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      specs.add(command.getCommandSpec());
      pending.addAll(command.getSubcommands().values().stream().distinct().toList());
    }
    return specs;
  }

  private static String allDocs() throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.walk(DOCS)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
        text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
      }
    }
    return text.toString();
  }

  @TestFactory
  Stream<DynamicTest> everyCommandIsDocumented() throws IOException {
    String docs = allDocs();
    return commands().stream()
        .map(
            spec ->
                DynamicTest.dynamicTest(
                    spec.qualifiedName(),
                    () -> {
                      assertThat(String.join(" ", spec.usageMessage().description()))
                          .as("description of '%s'", spec.qualifiedName())
                          .isNotBlank();
                      assertThat(docs)
                          .as("docs/ mentions command '%s'", spec.qualifiedName())
                          .contains(spec.qualifiedName().replaceFirst("^telltale ?", ""));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyOptionIsDocumented() throws IOException {
    String docs = allDocs();
    List<DynamicTest> tests = new ArrayList<>();
    for (CommandSpec spec : commands()) {
      String manPage = ManPage.render(spec, "test").troff();
      for (OptionSpec option : spec.options()) {
        String name = option.longestName();
        tests.add(
            DynamicTest.dynamicTest(
                spec.qualifiedName() + " " + name,
                () -> {
                  assertThat(String.join(" ", option.description()))
                      .as("description of %s in '%s'", name, spec.qualifiedName())
                      .isNotBlank();
                  assertThat(manPage)
                      .as("man page of '%s' lists %s", spec.qualifiedName(), name)
                      .contains("\\fB" + ManPage.escape(name) + "\\fR");
                  assertThat(docs).as("docs/ mention %s", name).contains(name);
                }));
      }
      for (PositionalParamSpec positional : spec.positionalParameters()) {
        tests.add(
            DynamicTest.dynamicTest(
                spec.qualifiedName() + " " + positional.paramLabel(),
                () ->
                    assertThat(String.join(" ", positional.description()))
                        .as(
                            "description of %s in '%s'",
                            positional.paramLabel(), spec.qualifiedName())
                        .isNotBlank()));
      }
    }
    return tests.stream();
  }

  @Test
  void manPagesCoverEveryCommand() {
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

    List<String> pages =
        ManPage.renderAll(root, "test").stream().map(ManPage.Page::fileName).toList();

    assertThat(pages)
        .containsExactlyInAnyOrderElementsOf(
            commands().stream().map(spec -> ManPage.pageName(spec) + ".1").toList());
  }

  @Test
  void rootManPageListsExitCodes() {
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

    assertThat(ManPage.render(root.getCommandSpec(), "test").troff())
        .contains(".SH EXIT STATUS\n.TP\n0\n");
  }

  @Test
  void escapeProtectsLeadingDot() {
    assertThat(ManPage.escape(".hidden")).isEqualTo("\\&.hidden");
  }

  @Test
  void escapeDoublesBackslashAndDash() {
    assertThat(ManPage.escape("a\\b-c")).isEqualTo("a\\eb\\-c");
  }
}
