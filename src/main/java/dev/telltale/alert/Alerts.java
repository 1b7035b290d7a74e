package dev.telltale.alert;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Seals events into numbered records of the host's chain and delivers each record to every declared
 * sink. A sink that fails gets its records spooled on disk and delivered in order once it works
 * again. The failure and the recovery are themselves records, sent to all sinks.
 *
 * <p>Instances are thread-safe, so heartbeats may run beside a check or a watch. Several processes
 * may share the chain: each event is sealed and delivered while the process has the chain to itself
 * (see {@link SealState}), so every sink gets the records in sequence order.
 */
public final class Alerts implements AutoCloseable {
  /** Time after a failure during which a failing sink is not tried again in this process. */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(Alerts.class.getName());

  private final SealState state;
  private final Path stateDirectory;
  private final String host;
  private final List<Delivery> deliveries;
  private boolean closed;

  private Alerts(SealState state, Path stateDirectory, String host, List<Delivery> deliveries) {
    this.state = state;
    this.stateDirectory = stateDirectory;
    this.host = host;
    this.deliveries = deliveries;
  }

  /**
   * Opens the chain in the state directory and prepares the sinks; none is connected yet.
   *
   * @throws UsageException if no sink is given or a URI is invalid
   * @throws dev.telltale.crypto.KeyException if the directory has no chain (run seal-init)
   * @throws OutputException if the state cannot be read or locked
   */
  public static Alerts open(List<String> sinkUris, Path stateDirectory) throws TelltaleException {
    if (sinkUris.isEmpty()) {
      throw new UsageException("no sink declared: give at least one --sink URI");
    }
    List<Sink> sinks = new ArrayList<>();
    try {
      for (String uri : sinkUris) {
        sinks.add(Sinks.open(uri));
      }
    } catch (TelltaleException e) {
      sinks.forEach(Sink::close);
      throw e;
    }
    SealState state;
    try {
      state = SealState.open(stateDirectory);
    } catch (TelltaleException e) {
      sinks.forEach(Sink::close);
      throw e;
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (Sink sink : sinks) {
      deliveries.add(new Delivery(sink, new Spool(stateDirectory, sink.uri())));
    }
    return new Alerts(state, stateDirectory, hostName(), deliveries);
  }

  /** Returns the chain id of the host's chain. */
  public String chainId() {
    return state.chainId();
  }

  /**
   * Seals one event and delivers it to every sink, or spools it for the sinks that fail.
   *
   * @param eventKind lower-case kind such as {@code check.start}, {@code change}, {@code error},
   *     {@code heartbeat}; at most 32 characters of a-z, 0-9, '.', '_' and '-'
   * @param jsonPayload one JSON object; it is rewritten compactly with non-ASCII escaped
   * @throws UsageException if the kind or payload is invalid
   * @throws OutputException if this object was closed, or if the sealing state or a spool cannot be
   *     written, so that a record may be lost. Records that reached other sinks stay delivered.
   */
  public synchronized void emit(String eventKind, String jsonPayload) throws TelltaleException {
    if (closed) {
      // A heartbeat thread that outlives close() gets this error, not a closed lock file.
      throw new OutputException("cannot emit '" + eventKind + "': the alerts were closed");
    }
    if (!AlertRecord.isValidKind(eventKind)) {
      throw new UsageException(
          "invalid event kind '"
              + eventKind
              + "': use up to 32 characters of a-z, 0-9, '.', '_', '-'");
    }
    String payload;
    try {
      payload = JsonPayload.canonical(jsonPayload);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    state.exclusively(() -> sealAndDeliver(new Event(eventKind, payload)));
  }

  /** Seals the event and any sink events it causes, and delivers them all. */
  private void sealAndDeliver(Event first) throws TelltaleException {
    Deque<Event> queue = new ArrayDeque<>();
    queue.add(first);
    OutputException lost = null;
    while (!queue.isEmpty()) {
      Event event = queue.poll();
      AlertRecord record = state.seal(host, event.kind(), fitted(event.payload()), Instant.now());
      for (Delivery delivery : deliveries) {
        try {
          delivery.deliver(record, queue);
        } catch (IOException e) {
          LOG.log(
              System.Logger.Level.ERROR,
              "record {0} lost for sink {1}: {2}",
              record.sequence(),
              delivery.sink.uri(),
              e);
          lost =
              new OutputException(
                  "record "
                      + record.sequence()
                      + " could not be delivered or spooled for sink '"
                      + delivery.sink.uri()
                      + "': "
                      + e.getMessage(),
                  e);
        }
      }
    }
    if (lost != null) {
      throw lost;
    }
  }

  /** Emits one heartbeat carrying the last check's result from the state directory. */
  public void heartbeat() throws TelltaleException {
    Optional<HeartbeatState> last = HeartbeatState.read(stateDirectory);
    emit("heartbeat", "{\"last_check\":" + last.map(HeartbeatState::toJson).orElse("null") + "}");
  }

  /**
   * Starts a thread that emits a heartbeat every interval until the returned handle is closed. A
   * failing heartbeat is logged and the next one is tried on schedule.
   */
  public HeartbeatTimer startHeartbeats(Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable ->
                Thread.ofPlatform().daemon().name("telltale-heartbeat").unstarted(runnable));
    timer.scheduleAtFixedRate(
        () -> {
          try {
            heartbeat();
          } catch (TelltaleException e) {
            LOG.log(System.Logger.Level.ERROR, "heartbeat failed: {0}", e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return new HeartbeatTimer(timer);
  }

  /** A running heartbeat thread; closing it stops the heartbeats. */
  public static final class HeartbeatTimer implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private HeartbeatTimer(ScheduledExecutorService timer) {
      this.timer = timer;
    }

    /** Stops the heartbeats and waits up to 10 seconds for one in progress to finish. */
    @Override
    public void close() {
      timer.shutdown();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Replaces a payload that would make the record longer than the maximum by a short stub. */
  private String fitted(String payload) {
    // The rest of the line (fields, seals, host) stays under 1 KiB.
    if (payload.length() <= AlertRecord.MAX_RECORD_BYTES - 1024) {
      return payload;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.US_ASCII));
      return "{\"telltale\":{\"payload_too_long\":true,\"bytes\":"
          + payload.length()
          + ",\"sha256\":\""
          + HexFormat.of().formatHex(digest)
          + "\"}}";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Returns the host name from the kernel, escaped to printable ASCII without spaces. */
  static String hostName() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      name = "";
    }
    if (name.isEmpty()) {
      name = "localhost";
    }
    StringBuilder escaped = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int value = b & 0xFF;
      if (value < 0x21 || value > 0x7E || value == '%') {
        escaped.append(String.format("%%%02X", value));
      } else {
        escaped.append((char) value);
      }
    }
    return escaped.length() > AlertRecord.MAX_HOST_CHARS
        ? escaped.substring(0, AlertRecord.MAX_HOST_CHARS)
        : escaped.toString();
  }

  /** Closes every sink and releases the chain. Spooled records stay for the next run. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Delivery delivery : deliveries) {
      delivery.sink.close();
    }
    state.close();
  }

  /** An event waiting to be sealed. */
  private record Event(String kind, String payload) {}

  /** One sink with its spool and retry timing. */
  private static final class Delivery {
    private final Sink sink;
    private final Spool spool;
    private Instant retryAfter = Instant.MIN;

    Delivery(Sink sink, Spool spool) {
      this.sink = sink;
      this.spool = spool;
    }

    /**
     * Delivers a record, spooling it if the sink fails, and queues a sink.failed or sink.recovered
     * event when the sink changes state.
     *
     * @throws IOException if the record could neither be delivered nor spooled
     */
    void deliver(AlertRecord record, Deque<Event> events) throws IOException {
      Spool.Drained recovered = null;
      if (!spool.isEmpty()) {
        if (Instant.now().isBefore(retryAfter)) {
          spool.append(record);
          return;
        }
        Spool.Drained drained = spool.drainTo(sink);
        if (!drained.complete()) {
          retryAfter = Instant.now().plus(RETRY_INTERVAL);
          spool.append(record);
          return;
        }
        recovered = drained;
      }
      try {
        sink.send(record);
      } catch (IOException e) {
        retryAfter = Instant.now().plus(RETRY_INTERVAL);
        spool.append(record);
        LOG.log(System.Logger.Level.WARNING, "sink {0} failed, spooling: {1}", sink.uri(), e);
        events.add(
            new Event(
                "sink.failed",
                "{\"sink\":"
                    + JsonPayload.quote(sink.uri())
                    + ",\"error\":"
                    + JsonPayload.quote(String.valueOf(e.getMessage()))
                    + ",\"first_spooled_seq\":"
                    + record.sequence()
                    + "}"));
        return;
      }
      if (recovered != null) {
        LOG.log(System.Logger.Level.INFO, "sink {0} recovered", sink.uri());
        events.add(
            new Event(
                "sink.recovered",
                "{\"sink\":"
                    + JsonPayload.quote(sink.uri())
                    + ",\"delivered_from_spool\":"
                    + recovered.delivered()
                    + ",\"malformed_dropped\":"
                    + recovered.malformed()
                    + "}"));
      }
    }
  }
}
