package dev.telltale.scan;

import dev.telltale.posix.Posix;
import dev.telltale.posix.PosixException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Hashing of one file through the scanner's read loop: open, read from the page cache, SHA-256,
 * close. The small size shows the per-file cost, the large one the throughput of the digest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HashingBenchmark {
  @Param({"4096", "16777216"})
  public int sizeBytes;

  private static final Set<Attribute> SHA256 = EnumSet.of(Attribute.SHA256);

  private Path directory;
  private int directoryFd;
  private final byte[] name = "data".getBytes(StandardCharsets.US_ASCII);
  private final AtomicLong bytesRead = new AtomicLong();

  @Setup(Level.Trial)
  public void createFile() throws IOException, PosixException {
    directory = Files.createTempDirectory("telltale-jmh");
    byte[] content = new byte[sizeBytes];
    new Random(1).nextBytes(content);
    Files.write(directory.resolve("data"), content);
    directoryFd =
        Posix.openat(
            Posix.AT_FDCWD,
            directory.toString().getBytes(StandardCharsets.UTF_8),
            Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC,
            0);
  }

  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    Posix.close(directoryFd);
    Files.delete(directory.resolve("data"));
    Files.delete(directory);
  }

  @Benchmark
  public ContentDigest.Result sha256() throws PosixException {
    int fd = Posix.openat(directoryFd, name, Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
    try {
      return ContentDigest.compute(fd, SHA256, Long.MAX_VALUE, bytesRead, () -> false);
    } finally {
      Posix.close(fd);
    }
  }
}
