package dev.telltale.bench;

import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.baseline.BaselineWriter;
import dev.telltale.crypto.SigningKey;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.FsPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing a signed baseline of {@code entries} entries, and reading one back: the verifying first
 * pass plus the parsing second pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BaselineBenchmark {
  @Param({"100000"})
  public int entries;

  private List<Entry> list;
  private SigningKey key;
  private BaselineHeader header;
  private Path directory;
  private Path written;
  private Path stored;

  @Setup(Level.Trial)
  public void prepare() throws IOException, TelltaleException {
    list = SyntheticEntries.create(entries);
    key = SigningKey.generate();
    header =
        new BaselineHeader(
            BaselineHeader.CURRENT_VERSION,
            Instant.parse("2026-01-01T00:00:00Z"),
            "bench",
            FsPath.ROOT,
            "ab".repeat(32),
            "bench",
            key.verifyKey().fingerprint(),
            List.of());
    directory = Files.createTempDirectory("telltale-jmh");
    written = directory.resolve("written.db");
    stored = directory.resolve("stored.db");
    write(stored);
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Files.deleteIfExists(written);
    Files.deleteIfExists(stored);
    Files.delete(directory);
  }

  @Benchmark
  public long write() throws TelltaleException {
    return write(written);
  }

  @Benchmark
  public long read() throws TelltaleException {
    long count = 0;
    try (BaselineReader reader = BaselineReader.open(stored, key.verifyKey());
        EntryStream stream = reader.entries()) {
      while (stream.next() != null) {
        count++;
      }
    }
    return count;
  }

  private long write(Path target) throws TelltaleException {
    try (BaselineWriter writer = BaselineWriter.create(target, header, key)) {
      for (Entry entry : list) {
        writer.write(entry);
      }
      writer.commit();
      return writer.entryCount();
    }
  }
}
