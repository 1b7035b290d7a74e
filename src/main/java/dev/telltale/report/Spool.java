package dev.telltale.report;

import dev.telltale.OutputException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text held until the report can be written in its final order. Small amounts stay in memory; past
 * {@link #MEMORY_LIMIT_CHARS} the text moves to a temporary file, so a check after a large update
 * does not need memory in proportion to the number of changes.
 */
final class Spool implements AutoCloseable {
  static final int MEMORY_LIMIT_CHARS = 1 << 20;

  private final StringBuilder memory = new StringBuilder();
  private Path file;
  private BufferedWriter fileWriter;

  void append(String text) throws OutputException {
    try {
      if (fileWriter == null && memory.length() + text.length() > MEMORY_LIMIT_CHARS) {
        file = Files.createTempFile("telltale-report-", ".txt");
        fileWriter = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        fileWriter.write(memory.toString());
        memory.setLength(0);
      }
      if (fileWriter != null) {
        fileWriter.write(text);
      } else {
        memory.append(text);
      }
    } catch (IOException e) {
      throw new OutputException(
          "cannot spool the report to a temporary file: " + e.getMessage(), e);
    }
  }

  boolean isEmpty() {
    return fileWriter == null && memory.isEmpty();
  }

  void copyTo(Writer out) throws IOException {
    if (fileWriter == null) {
      out.write(memory.toString());
      return;
    }
    fileWriter.flush();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      reader.transferTo(out);
    }
  }

  @Override
  public void close() throws IOException {
    if (fileWriter != null) {
      fileWriter.close();
      Files.deleteIfExists(file);
      fileWriter = null;
    }
  }
}
