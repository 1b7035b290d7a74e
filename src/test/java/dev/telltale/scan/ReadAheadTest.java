package dev.telltale.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  /** Numbered entries: {@code count} of them, or a failure after {@code failAfter} of them. */
  private static class Numbered implements EntryStream {
    private final int count;
    private final int failAfter;
    private int next;
    final AtomicBoolean closed = new AtomicBoolean();

    Numbered(int count, int failAfter) {
      this.count = count;
      this.failAfter = failAfter;
    }

    @Override
    public Entry next() throws TelltaleException {
      if (next == failAfter) {
        throw new OutputException("disk gone after " + next + " entries");
      }
      if (next == count) {
        return null;
      }
      return entry(next++);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static Entry entry(int number) {
    return new Entry(
        FsPath.of("/tree/" + String.format("%08d", number)), EntryType.FILE, Map.of(), null);
  }

  private static List<Entry> drain(EntryStream stream) throws TelltaleException {
    List<Entry> entries = new ArrayList<>();
    for (Entry entry = stream.next(); entry != null; entry = stream.next()) {
      entries.add(entry);
    }
    return entries;
  }

  @Test
  void largeEntriesShortenTheBatches() throws Exception {
    // Entries of 200,000 characters: a batch is passed on after two of them, so with room for two
    // batches the producer can hold at most seven entries before it has to wait.
    AtomicInteger produced = new AtomicInteger();
    String xattrs = "x".repeat(200_000);
    EntryStream large =
        new EntryStream() {
          @Override
          public Entry next() {
            int number = produced.getAndIncrement();
            return new Entry(
                FsPath.of("/tree/" + number),
                EntryType.FILE,
                Map.of(Attribute.XATTRS, xattrs),
                null);
          }

          @Override
          public void close() {}
        };

    try (EntryStream stream = ReadAhead.start(large, () -> {}, 256)) {
      int seen = -1;
      for (int i = 0; i < 100 && produced.get() != seen; i++) {
        seen = produced.get();
        Thread.sleep(50);
      }

      assertThat(produced.get()).isLessThanOrEqualTo(7);
      assertThat(stream.next().path()).isEqualTo(FsPath.of("/tree/0"));
    }
  }

  @Test
  void passesEveryEntryInOrderAcrossBatches() throws Exception {
    Numbered source = new Numbered(1000, -1);

    try (EntryStream stream = ReadAhead.start(source, () -> {}, 256)) {
      List<Entry> entries = drain(stream);

      assertThat(entries).hasSize(1000);
      assertThat(entries.get(0)).isEqualTo(entry(0));
      assertThat(entries.get(999)).isEqualTo(entry(999));
      assertThat(stream.next()).isNull();
    }
    assertThat(source.closed).isTrue();
  }

  @Test
  void failureArrivesAfterTheEntriesBeforeIt() throws Exception {
    Numbered source = new Numbered(1000, 300);

    try (EntryStream stream = ReadAhead.start(source, () -> {}, 256)) {
      for (int i = 0; i < 300; i++) {
        assertThat(stream.next()).isEqualTo(entry(i));
      }
      assertThatThrownBy(stream::next)
          .isInstanceOf(OutputException.class)
          .hasMessage("disk gone after 300 entries");
    }
  }

  @Test
  void earlyCloseStopsAndClosesTheSource() throws Exception {
    Numbered source = new Numbered(Integer.MAX_VALUE, -1);
    AtomicBoolean aborted = new AtomicBoolean();

    EntryStream stream = ReadAhead.start(source, () -> aborted.set(true), 256);
    assertThat(stream.next()).isEqualTo(entry(0));
    stream.close();

    assertThat(aborted).isTrue();
    assertThat(source.closed).isTrue();
    assertThatThrownBy(stream::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeErrorReachesConsumer() throws Exception {
    // An Error from close can come from a class that cannot be loaded after the jar was replaced.
    // It ended the walk thread before the end of the stream, so the consumer waited forever.
    Numbered source =
        new Numbered(10, -1) {
          @Override
          public void close() {
            throw new NoClassDefFoundError("dev/telltale/scan/Gone");
          }
        };

    try (EntryStream stream = ReadAhead.start(source, () -> {}, 256)) {
      CompletableFuture<Throwable> outcome =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  drain(stream);
                  return null;
                } catch (TelltaleException | RuntimeException | Error e) {
                  return e;
                }
              });

      assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(NoClassDefFoundError.class);
    }
  }
}
