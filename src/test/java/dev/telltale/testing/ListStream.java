package dev.telltale.testing;

import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import java.util.Iterator;
import java.util.List;

/** An entry stream over a list, for tests of the stages after the scanner. */
public final class ListStream implements EntryStream {
  private final Iterator<Entry> entries;

  public ListStream(List<Entry> entries) {
    this.entries = entries.iterator();
  }

  @Override
  public Entry next() {
    return entries.hasNext() ? entries.next() : null;
  }

  @Override
  public void close() {}
}
