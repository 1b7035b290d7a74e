package dev.telltale.bench;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Entries shaped like those of a scan of /usr with the CONTENT attributes: 100 regular files per
 * directory, each with every stat attribute and a SHA-256, in canonical order.
 */
final class SyntheticEntries {
  private SyntheticEntries() {}

  static List<Entry> create(int count) {
    Random random = new Random(42);
    List<Entry> entries = new ArrayList<>(count);
    FsPath directory = FsPath.ROOT;
    for (int i = 0; i < count; i++) {
      if (i % 100 == 0) {
        directory = FsPath.of("/usr/lib/d" + String.format("%06d", i / 100));
        entries.add(new Entry(directory, EntryType.DIRECTORY, directoryValues(i), null));
        i++;
        if (i == count) {
          break;
        }
      }
      byte[] name = ("file-" + String.format("%03d", i % 100) + ".so").getBytes(StandardCharsets.UTF_8);
      entries.add(new Entry(directory.child(name), EntryType.FILE, fileValues(i, random), null));
    }
    return entries;
  }

  private static Map<Attribute, String> directoryValues(int i) {
    Map<Attribute, String> values = new EnumMap<>(Attribute.class);
    values.put(Attribute.MODE, "0755");
    values.put(Attribute.UID, "0");
    values.put(Attribute.GID, "0");
    values.put(Attribute.INODE, Integer.toString(1000 + i));
    return values;
  }

  private static Map<Attribute, String> fileValues(int i, Random random) {
    Map<Attribute, String> values = directoryValues(i);
    values.put(Attribute.SIZE, Integer.toString(random.nextInt(1 << 20)));
    values.put(Attribute.MTIME, "1700000000.123456789");
    values.put(Attribute.CTIME, "1700000001.987654321");
    values.put(Attribute.NLINK, "1");
    byte[] digest = new byte[32];
    random.nextBytes(digest);
    values.put(Attribute.SHA256, HexFormat.of().formatHex(digest));
    return values;
  }

  /** Returns a stream over a list that is already in canonical order. */
  static EntryStream stream(List<Entry> entries) {
    return new EntryStream() {
      private int next;

      @Override
      public Entry next() {
        return next < entries.size() ? entries.get(next++) : null;
      }

      @Override
      public void close() {}
    };
  }
}
