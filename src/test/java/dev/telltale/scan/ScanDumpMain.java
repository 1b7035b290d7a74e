package dev.telltale.scan;

import java.nio.file.Path;

/**
 * Scans a directory and prints one line per entry, {@code path TAB error}, for tests that run the
 * scanner in a child JVM as an unprivileged user.
 */
public final class ScanDumpMain {
  private ScanDumpMain() {}

  public static void main(String[] args) throws Exception {
    Scanner scanner = new Scanner(Path.of(args[0]), new RecordAllPlan(), new ScanOptions(2, false));
    try (EntryStream stream = scanner.scan()) {
      for (Entry entry = stream.next(); entry != null; entry = stream.next()) {
        System.out.println(entry.path() + "\t" + entry.error());
      }
    }
  }
}
