package dev.telltale.alert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each record as a line to a file: a sealed log ({@code sealed:PATH}) or any file or
 * character device such as a line printer ({@code file:/dev/usb/lp0}). A regular file is synced
 * after each record; a device is not, because most of them reject fsync.
 */
final class FileSink implements Sink {
  private final String uri;
  private final Path path;
  private FileChannel channel;

  FileSink(String uri, Path path) {
    this.uri = uri;
    this.path = path;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void send(AlertRecord record) throws IOException {
    if (channel == null) {
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    try {
      ByteBuffer line = ByteBuffer.wrap(AlertRecord.ascii(record.toLine() + "\n"));
      while (line.hasRemaining()) {
        channel.write(line);
      }
      if (Files.isRegularFile(path)) {
        channel.force(false);
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // The records were synced after each write; a failing close loses nothing.
      }
      channel = null;
    }
  }
}
