package dev.telltale.alert;

import dev.telltale.OutputException;
import dev.telltale.TamperException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Verification of a sealed log file against the initial key of its chain. */
public final class SealedLog {
  /**
   * The result of a successful verification.
   *
   * @param records number of records in the log
   * @param lastSequence sequence number of the last record
   */
  public record Summary(long records, long lastSequence) {}

  private SealedLog() {}

  /**
   * Verifies every record of a log: it must start with record 0 of the key's chain, number its
   * records without gaps or repeats, link each to its predecessor, and carry valid seals.
   *
   * <p>Records dropped from the end leave no trace in the log itself; {@code expectAtLeast}, the
   * last sequence number seen off-host, catches that.
   *
   * @param expectAtLeast the log must reach at least this sequence number; 0 for no requirement
   * @throws TamperException naming the line and record at the first edit, deletion, reordering,
   *     truncation or chain restart, or if the log ends before {@code expectAtLeast}
   * @throws OutputException if the log cannot be read
   */
  public static Summary verify(Path log, SealKey initialKey, long expectAtLeast)
      throws TamperException, OutputException {
    ChainVerifier verifier = new ChainVerifier(initialKey, 0);
    Checker checker = new Checker(verifier);
    try (InputStream in = Files.newInputStream(log)) {
      Framer framer = Framer.exactLines(AlertRecord.MAX_RECORD_BYTES, checker::check);
      byte[] buffer = new byte[8192];
      int count;
      while ((count = in.read(buffer)) >= 0 && checker.failure == null) {
        framer.push(buffer, count);
      }
      framer.finish();
    } catch (IOException e) {
      throw new OutputException("cannot read sealed log " + log + ": " + e.getMessage(), e);
    }
    if (checker.failure != null) {
      throw new TamperException(log + ": " + checker.failure);
    }
    if (checker.records == 0) {
      throw new TamperException(log + ": the log is empty, so record 0 of the chain is missing");
    }
    long last = verifier.nextSequence() - 1;
    if (last < expectAtLeast) {
      throw new TamperException(
          log
              + ": the log ends at record "
              + last
              + " but record "
              + expectAtLeast
              + " was seen off-host: records were dropped from the end");
    }
    return new Summary(checker.records, last);
  }

  /** Checks frames one by one and keeps the first failure. */
  private static final class Checker {
    private final ChainVerifier verifier;
    private long line;
    private long records;
    private String failure;

    Checker(ChainVerifier verifier) {
      this.verifier = verifier;
    }

    void check(Framer.Frame frame) {
      if (failure != null) {
        return;
      }
      line++;
      if (frame.overLong()) {
        failure = "line " + line + ": longer than " + AlertRecord.MAX_RECORD_BYTES + " bytes";
        return;
      }
      if (frame.unterminated()) {
        failure = "line " + line + ": record cut short (the line has no end)";
        return;
      }
      AlertRecord record;
      try {
        record = AlertRecord.parse(new String(frame.bytes(), StandardCharsets.ISO_8859_1));
      } catch (RecordFormatException e) {
        failure = "line " + line + ": not a valid record, " + e.getMessage();
        return;
      }
      ChainVerifier.Verdict verdict = verifier.check(record);
      if (verdict.problem() != null) {
        failure = "line " + line + ": " + verdict.message();
        return;
      }
      records++;
    }
  }
}
