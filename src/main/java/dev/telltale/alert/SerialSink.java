package dev.telltale.alert;

import java.io.IOException;

/**
 * Writes each record as a line ending in CR LF to a serial line ({@code
 * serial:/dev/ttyS0?baud=115200}), waiting until the tty has sent it. The port is reopened after an
 * error, so a cable that comes back is used again.
 */
final class SerialSink implements Sink {
  private final String uri;
  private final String device;
  private final int bitsPerSecond;
  private SerialPort port;

  SerialSink(String uri, String device, int bitsPerSecond) {
    this.uri = uri;
    this.device = device;
    this.bitsPerSecond = bitsPerSecond;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void send(AlertRecord record) throws IOException {
    if (port == null) {
      port = SerialPort.open(device, bitsPerSecond);
    }
    try {
      // CR LF so that a terminal or a printer on the far end starts each record on a new line.
      port.write(AlertRecord.ascii(record.toLine() + "\r\n"));
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (port != null) {
      port.close();
      port = null;
    }
  }
}
