package dev.telltale.alert;

import java.io.IOException;

/**
 * A destination for record lines. A sink either delivers a line or throws; the caller spools what
 * was not delivered, so a sink never needs to buffer on its own.
 */
interface Sink extends AutoCloseable {
  /** Returns the URI this sink was declared with, for messages and spool names. */
  String uri();

  /**
   * Delivers one record as far as this kind of sink can confirm it (written and synced, accepted by
   * the command, written to the socket).
   *
   * @throws IOException if the record was not delivered; the sink may recover on a later call
   */
  void send(AlertRecord record) throws IOException;

  @Override
  void close();
}
