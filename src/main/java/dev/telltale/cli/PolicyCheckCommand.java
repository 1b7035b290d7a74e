package dev.telltale.cli;

import dev.telltale.ExitCode;
import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import dev.telltale.policy.Policy;
import dev.telltale.policy.Rule;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.PathEscape;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "policy-check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a policy, and show which rule applies to a path.",
      "Exit code 0 for a valid policy, 17 for an invalid one, with the file and line at fault."
    })
final class PolicyCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Option(
      names = "--explain",
      paramLabel = "PATH",
      description =
          "Show the rule that decides PATH, the attributes it compares, and the other rules that"
              + " match it. Repeatable.")
  List<String> explain;

  @Override
  public Integer call() throws TelltaleException {
    PrintWriter out = spec.commandLine().getOut();
    Policy policy = target.policy();
    long realtime = policy.realtimeRules().size();
    out.println(
        "policy "
            + policy.sourceName()
            + " is valid: "
            + policy.rules().size()
            + " rules, "
            + realtime
            + " of them realtime (sha256 "
            + policy.digestSha256()
            + ")");
    if (explain != null) {
      for (String text : explain) {
        FsPath path;
        try {
          path = FsPath.parse(text);
        } catch (PathEscape.MalformedEscapeException e) {
          throw new UsageException("--explain " + text + ": " + e.getMessage());
        }
        out.println();
        out.print(policy.explain(path).render());
      }
    } else {
      for (Rule rule : policy.rules()) {
        out.println("  " + rule.describe());
      }
    }
    return ExitCode.CLEAN.code();
  }
}
