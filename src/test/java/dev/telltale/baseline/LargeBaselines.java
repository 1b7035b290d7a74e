package dev.telltale.baseline;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.util.Iterator;
import java.util.Map;

/** Generates many entries lazily, in canonical order, without holding them in memory. */
final class LargeBaselines {
  private LargeBaselines() {}

  static Iterable<Entry> entries(int count) {
    return () ->
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < count;
          }

          @Override
          public Entry next() {
            // Zero-padded names sort in numeric order.
            String name = String.format("/data/file%09d", next);
            Map<Attribute, String> values =
                Map.of(
                    Attribute.MODE, "0644",
                    Attribute.SIZE, Integer.toString(next),
                    Attribute.SHA256, String.format("%064x", next));
            next++;
            return new Entry(FsPath.of(name), EntryType.FILE, values, null);
          }
        };
  }
}
