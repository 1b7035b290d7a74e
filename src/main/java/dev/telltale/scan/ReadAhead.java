package dev.telltale.scan;

import dev.telltale.TelltaleException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stream read on a thread of its own, at most {@code capacity} entries ahead of the consumer.
 *
 * <p>A scan then walks and hashes while its consumer does other work: verifying a baseline, reading
 * the package set, deriving the signing key, writing or comparing entries. Run in the consumer's
 * thread, the walk would leave a processor idle during each of those steps. Entries keep their
 * order, and a failure of the stream reaches the consumer where it happened.
 */
final class ReadAhead implements EntryStream {
  /** How long the producer waits for room before it looks again whether the stream was closed. */
  private static final long OFFER_WAIT_MILLIS = 50;

  /**
   * Entries passed to the consumer at once. Handed over one at a time, each entry would wake the
   * waiting consumer, and each wake-up is a system call.
   */
  private static final int BATCH = 128;

  /**
   * Text a batch may hold (paths and values, counted in characters) before it is passed on even
   * when it has fewer than {@value #BATCH} entries. Extended attributes and long paths can make an
   * entry tens of KiB, so a count alone would not bound the memory held ahead.
   */
  private static final long BATCH_CHARACTERS = 256 * 1024;

  /** Attributes whose values can be long: link targets and the extended attribute families. */
  private static final Attribute[] LONG_ATTRIBUTES = {
    Attribute.TARGET, Attribute.XATTRS, Attribute.ACL, Attribute.SELINUX, Attribute.CAPS
  };

  /** Characters counted for all the short values of one entry together. */
  private static final long SHORT_VALUES_CHARACTERS = 512;

  /**
   * One item passed to the consumer: a batch of entries, or the end with the failure that ended the
   * stream, if any.
   */
  private record Slot(List<Entry> entries, Throwable failure) {}

  private final EntryStream source;
  private final Runnable abort;
  private final BlockingQueue<Slot> queue;
  private final Thread producer;
  private volatile boolean closing;

  /**
   * The throwable that ended the producer thread early, such as an Error from closing the source.
   */
  private volatile Throwable died;

  private List<Entry> current = List.of();
  private int next;
  private boolean ended;

  private ReadAhead(EntryStream source, Runnable abort, int capacity) {
    this.source = source;
    this.abort = abort;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity / BATCH));
    this.producer = new Thread(this::produce, "telltale-walk");
    producer.setDaemon(true);
    producer.setUncaughtExceptionHandler((thread, failure) -> died = failure);
  }

  /**
   * Starts reading {@code source} ahead; the returned stream owns it and closes it.
   *
   * @param abort stops the source's work in flight; called from the consumer's thread when the
   *     stream is closed early
   */
  static EntryStream start(EntryStream source, Runnable abort, int capacity) {
    ReadAhead stream = new ReadAhead(source, abort, capacity);
    stream.producer.start();
    return stream;
  }

  private void produce() {
    Throwable failure = null;
    List<Entry> batch = new ArrayList<>(BATCH);
    long characters = 0;
    try {
      for (Entry entry = source.next(); entry != null; entry = source.next()) {
        batch.add(entry);
        characters += textLength(entry);
        if (batch.size() == BATCH || characters >= BATCH_CHARACTERS) {
          if (!offer(new Slot(batch, null))) {
            return;
          }
          batch = new ArrayList<>(BATCH);
          characters = 0;
        }
      }
    } catch (TelltaleException | RuntimeException | Error e) {
      failure = e;
    } finally {
      try {
        source.close();
      } catch (TelltaleException | RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (!batch.isEmpty() && !offer(new Slot(batch, null))) {
      return;
    }
    offer(new Slot(List.of(), failure));
  }

  /**
   * Returns about how many characters of text an entry contains. Only the path, the error and the
   * attributes that can grow long are measured. The other values are short numbers, times, names
   * and digests, so one fixed amount stands for all of them.
   */
  private static long textLength(Entry entry) {
    long length = entry.path().lengthBytes() + SHORT_VALUES_CHARACTERS;
    for (Attribute attribute : LONG_ATTRIBUTES) {
      String value = entry.value(attribute);
      if (value != null) {
        length += value.length();
      }
    }
    return entry.hasError() ? length + entry.error().length() : length;
  }

  /** Waits for room in the queue; returns false when the consumer closed the stream. */
  private boolean offer(Slot slot) {
    try {
      while (!closing) {
        if (queue.offer(slot, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public Entry next() throws TelltaleException {
    if (closing) {
      throw new IllegalStateException("scan stream is closed");
    }
    while (next == current.size()) {
      if (ended) {
        return null;
      }
      Slot slot = take();
      current = slot.entries();
      next = 0;
      if (current.isEmpty()) {
        ended = true;
        throwFailure(slot.failure());
      }
    }
    return current.get(next++);
  }

  /**
   * Waits for the next slot. A producer can die before it passes on the end of the stream, from an
   * Error that its catch does not reach. The stream then ends with that Error, because waiting for
   * the queue alone would block the consumer forever.
   */
  private Slot take() {
    try {
      while (true) {
        Slot slot = queue.poll(OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (slot != null) {
          return slot;
        }
        if (!producer.isAlive()) {
          // The producer may have passed on its last slot just before it ended.
          slot = queue.poll();
          if (slot != null) {
            return slot;
          }
          Throwable failure = died;
          return new Slot(
              List.of(),
              failure != null
                  ? failure
                  : new IllegalStateException("the scan thread ended before the end of the scan"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the scan", e);
    }
  }

  private static void throwFailure(Throwable failure) throws TelltaleException {
    switch (failure) {
      case null -> {}
      case TelltaleException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException("scan failed", failure);
    }
  }

  /** Stops the producer, which closes the source: in-flight digests end and descriptors close. */
  @Override
  public void close() {
    closing = true;
    abort.run();
    queue.clear();
    boolean interrupted = false;
    while (producer.isAlive()) {
      try {
        producer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    queue.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
