package dev.telltale.scan;

import dev.telltale.TelltaleException;

/**
 * A stream of entries in canonical path order, from a scan or from a baseline. Implementations
 * check the order and fail rather than return an entry out of order.
 */
public interface EntryStream extends AutoCloseable {
  /** Returns the next entry, or null at the end. */
  Entry next() throws TelltaleException;

  @Override
  void close() throws TelltaleException;
}
