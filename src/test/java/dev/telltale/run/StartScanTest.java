package dev.telltale.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.OutputException;
import dev.telltale.TamperException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineWriter;
import dev.telltale.crypto.SigningKey;
import dev.telltale.policy.Policy;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.ScanOptions;
import dev.telltale.scan.Scanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartScanTest {
  @TempDir Path work;
  private SigningKey key;
  private Path baseline;
  private Scanner unopenableRoot;

  @BeforeEach
  void writeBaseline() throws Exception {
    key = SigningKey.generate();
    baseline = work.resolve("baseline.db");
    BaselineHeader header =
        new BaselineHeader(
            BaselineHeader.CURRENT_VERSION,
            Instant.parse("2026-12-04T00:00:00Z"),
            "host",
            FsPath.of("/"),
            "ab".repeat(32),
            "test",
            key.verifyKey().fingerprint(),
            List.of());
    try (BaselineWriter writer = BaselineWriter.create(baseline, header, key)) {
      writer.commit();
    }
    Policy policy = Policy.parse("test.policy", "/srv sha256\n".getBytes(UTF_8));
    // A regular file where the root directory should be: opening it as a directory fails.
    Path notDirectory = Files.writeString(work.resolve("not-a-directory"), "x");
    unopenableRoot = new Scanner(notDirectory, policy, new ScanOptions(1, false));
  }

  @Test
  void scanFailureWithIntactBaselineIsScanError() {
    assertThatThrownBy(() -> CheckJob.startScan(unopenableRoot, baseline, key.verifyKey()))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("cannot open root directory");
  }

  @Test
  void tamperedBaselineOutranksScanFailure() throws Exception {
    String text = gunzip(Files.readAllBytes(baseline));
    assertThat(text).contains("\nhost host\n");
    text = text.replace("\nhost host\n", "\nhost other\n");
    Files.write(baseline, gzip(text));

    assertThatThrownBy(() -> CheckJob.startScan(unopenableRoot, baseline, key.verifyKey()))
        .isInstanceOf(TamperException.class);
  }

  private static String gunzip(byte[] compressed) throws Exception {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(UTF_8));
    }
    return bytes.toByteArray();
  }
}
