package dev.telltale.alert;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Checks a stream of records against the initial key k0 of their chain: the chain id, the seal, the
 * sequence number and the link to the previous seal. Used by {@code log verify} and by the
 * receiver, so both judge a record the same way.
 *
 * <p>A record is accepted only if its seal verifies under the key of its own sequence number and it
 * belongs to the chain of k0. After a gap, the key is evolved forward to the record's number, at
 * most {@link #MAX_SEQUENCE_JUMP} steps, so a forged record with a huge number cannot make the
 * verifier spin.
 */
public final class ChainVerifier {
  /** Maximum number of records that one gap may skip before a record is rejected unchecked. */
  public static final long MAX_SEQUENCE_JUMP = 1_000_000;

  /** What is wrong with one record. Every problem is an alarm. */
  public enum Problem {
    /** The seal does not verify: the record was edited or forged. */
    BAD_SEAL,
    /** The record comes after a gap: records in between were deleted or lost. */
    GAP,
    /** The record repeats a number already seen, or comes out of order. */
    REPEAT,
    /** The record starts a new chain: someone ran seal-init again or replaced the log. */
    RESTART,
    /** The record belongs to another chain than the one of the given key. */
    FOREIGN_CHAIN,
    /** The record names another previous seal than the one of the record before it. */
    BROKEN_LINK,
    /** The record's number lies too far ahead to be checked. */
    JUMP_TOO_LARGE
  }

  /**
   * The outcome for one record.
   *
   * @param accepted whether the seal verified and the record now counts as received
   * @param problem what is wrong, or null
   * @param message a sentence describing the problem, or null
   */
  public record Verdict(boolean accepted, Problem problem, String message) {}

  private final String chainId;
  private SealKey nextKey;
  private long nextSequence;
  private String previousSeal;

  /**
   * Creates a verifier that expects record {@code startSequence} next.
   *
   * @param initialKey k0; the verifier works on its own copy
   * @param startSequence 0 for a whole chain; a later number makes the first record's link
   *     unchecked, because its predecessor was never seen
   */
  public ChainVerifier(SealKey initialKey, long startSequence) {
    this.chainId = initialKey.chainId();
    this.nextKey = initialKey.evolve(startSequence);
    this.nextSequence = startSequence;
    this.previousSeal = startSequence == 0 ? AlertRecord.NO_PREVIOUS_SEAL : null;
  }

  /** Returns the chain id that belongs to the key. */
  public String chainId() {
    return chainId;
  }

  /** Returns the sequence number expected next. */
  public long nextSequence() {
    return nextSequence;
  }

  /** Checks one record and, if its seal verifies, advances past it. */
  public Verdict check(AlertRecord record) {
    long sequence = record.sequence();
    if (!record.chainId().equals(chainId)) {
      if (sequence == 0) {
        return reject(
            Problem.RESTART,
            "record 0 starts a new chain "
                + record.chainId()
                + " instead of continuing chain "
                + chainId
                + ": the chain was restarted");
      }
      return reject(
          Problem.FOREIGN_CHAIN,
          "record " + sequence + " belongs to chain " + record.chainId() + ", not " + chainId);
    }
    if (sequence < nextSequence) {
      return reject(
          Problem.REPEAT,
          "record "
              + sequence
              + " repeats or comes out of order: record "
              + nextSequence
              + " was expected");
    }
    long jump = sequence - nextSequence;
    if (jump > MAX_SEQUENCE_JUMP) {
      return reject(
          Problem.JUMP_TOO_LARGE,
          "record " + sequence + " lies more than " + MAX_SEQUENCE_JUMP + " records ahead");
    }
    SealKey key = nextKey.evolve(jump);
    boolean sealValid =
        MessageDigest.isEqual(key.seal(AlertRecord.ascii(record.body())), record.sealBytes());
    if (!sealValid) {
      key.destroy();
      return reject(Problem.BAD_SEAL, "record " + sequence + " has a bad seal: edited or forged");
    }
    boolean linkChecked = jump == 0 && previousSeal != null;
    boolean linkValid =
        !linkChecked
            || MessageDigest.isEqual(
                HexFormat.of().parseHex(previousSeal),
                HexFormat.of().parseHex(record.previousSeal()));
    long expected = nextSequence;
    nextKey.destroy();
    nextKey = key.evolve();
    key.destroy();
    nextSequence = sequence + 1;
    previousSeal = record.seal();
    if (jump > 0) {
      return new Verdict(
          true,
          Problem.GAP,
          "records "
              + expected
              + " to "
              + (sequence - 1)
              + " are missing before record "
              + sequence);
    }
    if (!linkValid) {
      return new Verdict(
          true,
          Problem.BROKEN_LINK,
          "record " + sequence + " does not name the seal of record " + (sequence - 1));
    }
    return new Verdict(true, null, null);
  }

  private static Verdict reject(Problem problem, String message) {
    return new Verdict(false, problem, message);
  }
}
