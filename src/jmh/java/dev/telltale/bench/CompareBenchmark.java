package dev.telltale.bench;

import dev.telltale.TelltaleException;
import dev.telltale.compare.Comparison;
import dev.telltale.compare.Summary;
import dev.telltale.policy.Policy;
import dev.telltale.scan.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The merge of a baseline with a scan of the same, unchanged tree: the common case of check. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompareBenchmark {
  @Param({"100000"})
  public int entries;

  private List<Entry> baseline;
  private List<Entry> live;
  private Policy policy;

  @Setup(Level.Trial)
  public void prepare() throws TelltaleException {
    baseline = SyntheticEntries.create(entries);
    live = SyntheticEntries.create(entries);
    policy = Policy.parse("bench.policy", "/usr CONTENT\n".getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public Summary unchangedTree() throws TelltaleException {
    Comparison comparison =
        new Comparison(
            policy::ruleFor,
            (path, digest, lengthBytes) -> {
              throw new IllegalStateException("no rule here is marked growing");
            });
    return comparison.run(
        SyntheticEntries.stream(baseline),
        SyntheticEntries.stream(live),
        change -> {
          throw new IllegalStateException("unchanged tree reported " + change);
        });
  }
}
