package dev.telltale.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.crypto.SigningKey;
import dev.telltale.scan.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests that run a second JVM: a crash while writing, and reading with a small heap. */
class BaselineProcessTest {
  /**
   * Entries in the large baseline. Held as a list of entries they would need well over 100 MiB, far
   * more than the reader's heap below.
   */
  private static final int LARGE_ENTRY_COUNT = 300_000;

  private static final String SMALL_HEAP = "-Xmx24m";

  private final SigningKey key = SigningKey.generate();

  @TempDir Path directory;

  @AfterEach
  void closeKey() {
    key.close();
  }

  @Test
  void crashWhileWritingKeepsOldBaseline() throws Exception {
    Path file = directory.resolve("baseline.db");
    List<Entry> entries = TestBaselines.sampleEntries();
    TestBaselines.write(file, key, entries);

    Result result = runChild(List.of(), "halt-while-writing", file.toString(), "200000");

    assertThat(result.exitCode()).as(result.output()).isEqualTo(BaselineChildProcess.HALTED);
    assertThat(TestBaselines.readAll(file, key.verifyKey())).isEqualTo(entries);
    assertThat(temporaryFileSizes()).as("the interrupted write left partial data").isNotEmpty();
    assertThat(temporaryFileSizes().getFirst()).isPositive();
  }

  @Test
  void readingStreamsWithSmallHeap() throws Exception {
    Path file = directory.resolve("large.db");
    try (BaselineWriter writer = BaselineWriter.create(file, TestBaselines.header(key), key)) {
      for (Entry entry : LargeBaselines.entries(LARGE_ENTRY_COUNT)) {
        writer.write(entry);
      }
      writer.commit();
    }
    Path publicKey = directory.resolve("key.base64");
    Files.writeString(publicKey, Base64.getEncoder().encodeToString(key.verifyKey().rawBytes()));

    Result result = runChild(List.of(SMALL_HEAP), "count", file.toString(), publicKey.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().strip()).isEqualTo(Integer.toString(LARGE_ENTRY_COUNT));
  }

  private List<Long> temporaryFileSizes() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Long> sizes = new ArrayList<>();
      for (Path path : files.toList()) {
        if (path.getFileName().toString().startsWith(".baseline.db.tmp-")) {
          sizes.add(Files.size(path));
        }
      }
      return sizes;
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result runChild(List<String> jvmOptions, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BaselineChildProcess.class.getName());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
