package dev.telltale.baseline;

import dev.telltale.crypto.SigningKey;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Entry point for the tests that need a separate JVM: one that dies in the middle of writing a
 * baseline, and one that reads a large baseline with a small heap.
 */
public final class BaselineChildProcess {
  /**
   * Exit code of the child that halts mid-write, so that the test can tell that the halt happened.
   */
  static final int HALTED = 42;

  private BaselineChildProcess() {}

  /**
   * Runs {@code halt-while-writing TARGET COUNT} or {@code count TARGET PUBLIC-KEY-BASE64-FILE}.
   */
  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[1]);
    switch (args[0]) {
      case "halt-while-writing" -> haltWhileWriting(target, Integer.parseInt(args[2]));
      case "count" -> count(target, Path.of(args[2]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void haltWhileWriting(Path target, int count) throws Exception {
    SigningKey key = SigningKey.generate();
    BaselineWriter writer = BaselineWriter.create(target, TestBaselines.header(key), key);
    for (Entry entry : LargeBaselines.entries(count)) {
      writer.write(entry);
    }
    // Dies without commit, close or shutdown hooks, as a power cut or kill -9 would.
    Runtime.getRuntime().halt(HALTED);
  }

  private static void count(Path target, Path publicKeyFile) throws Exception {
    VerifyKey key =
        VerifyKey.ofRawBytes(Base64.getDecoder().decode(Files.readString(publicKeyFile).strip()));
    long count = 0;
    try (BaselineReader reader = BaselineReader.open(target, key);
        EntryStream entries = reader.entries()) {
      while (entries.next() != null) {
        count++;
      }
    }
    System.out.println(count);
  }
}
