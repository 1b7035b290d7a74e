package dev.telltale.alert;

import dev.telltale.OutputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The off-host end of the alert chain. It reads record lines from a serial line, a TCP socket or a
 * stream, checks each with a {@link ChainVerifier}, prints every accepted record in readable form
 * to out, and raises an alarm on a bad seal, a gap, a repeat, a chain restart or a heartbeat that
 * did not arrive in time.
 *
 * <p>An alarm is a loud line on err and a run of the alarm command, if one is set, with the message
 * in the environment variable {@code TELLTALE_ALARM}. Garbage (noise, partial or over-long lines,
 * bytes outside printable ASCII, lines that are not records) is reported on err and skipped. It is
 * not an alarm by itself, because a record it replaced shows up as a gap.
 */
public final class Receiver {
  /** Number of garbage reports printed one by one before only every 1000th is printed. */
  static final int GARBAGE_REPORTS_IN_FULL = 20;

  private static final System.Logger LOG = System.getLogger(Receiver.class.getName());
  private static final byte[] MARKER = AlertRecord.ascii(AlertRecord.VERSION + " ");
  // A syslog header in front of a record adds well under 1 KiB.
  private static final int MAX_FRAME_BYTES = AlertRecord.MAX_RECORD_BYTES + 1024;
  private static final long ALARM_COMMAND_TIMEOUT_SECONDS = 30;

  private final ChainVerifier verifier;
  private final Duration heartbeatTimeout;
  private final String alarmCommand;
  private final PrintWriter out;
  private final PrintWriter err;
  private long accepted;
  private long alarms;
  private long garbage;
  private Instant lastAccepted = Instant.now();
  private boolean silenceReported;

  /**
   * Creates a receiver.
   *
   * @param verifier the verifier built from the chain's initial key
   * @param heartbeatTimeout maximum silence before an alarm, or null for no limit
   * @param alarmCommand shell command run on each alarm, or null
   */
  public Receiver(
      ChainVerifier verifier,
      Duration heartbeatTimeout,
      String alarmCommand,
      PrintWriter out,
      PrintWriter err) {
    this.verifier = verifier;
    this.heartbeatTimeout = heartbeatTimeout;
    this.alarmCommand = alarmCommand;
    this.out = out;
    this.err = err;
  }

  /**
   * Reads records from a stream until it ends.
   *
   * @throws OutputException if reading fails
   */
  public void receive(InputStream in) throws OutputException {
    watched(
        "standard input",
        () -> {
          Framer framer = new Framer(MAX_FRAME_BYTES, false, this::accept);
          byte[] buffer = new byte[8192];
          int count;
          while ((count = in.read(buffer)) >= 0) {
            framer.push(buffer, count);
          }
          framer.finish();
        });
    finish("end of input");
  }

  /**
   * Reads records from a serial line until it hangs up.
   *
   * @throws OutputException if the line cannot be opened or configured, or reading fails
   */
  public void receiveSerial(String device, int bitsPerSecond) throws OutputException {
    watched(
        device,
        () -> {
          try (SerialPort port = SerialPort.open(device, bitsPerSecond)) {
            Framer framer = new Framer(MAX_FRAME_BYTES, false, this::accept);
            byte[] buffer = new byte[8192];
            int count;
            while ((count = port.read(buffer, 1000)) >= 0) {
              framer.push(buffer, count);
            }
            framer.finish();
          }
        });
    finish("the serial line " + device + " hung up");
  }

  /**
   * Accepts TCP connections and reads syslog octet-counted frames or plain lines from each.
   *
   * @param once stop after the first connection ends, instead of serving forever
   * @throws OutputException if the address cannot be bound or accepting fails
   */
  public void listen(InetSocketAddress address, boolean once) throws OutputException {
    watched(
        String.valueOf(address),
        () -> {
          try (ServerSocket server = new ServerSocket();
              ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor()) {
            server.bind(address);
            report("listening on " + server.getLocalSocketAddress());
            do {
              Socket socket = server.accept();
              Future<Void> connection = connections.submit(() -> serve(socket));
              if (once) {
                connection.get();
              }
            } while (!once);
          }
        });
    finish("the connection closed");
  }

  /** A reading loop that may block. */
  private interface Reading {
    void run() throws IOException, InterruptedException, ExecutionException;
  }

  /** Runs a reading loop while the heartbeat watchdog runs beside it. */
  private void watched(String source, Reading reading) throws OutputException {
    ScheduledExecutorService watchdog = startWatchdog();
    try {
      reading.run();
    } catch (IOException e) {
      throw new OutputException("cannot receive from " + source + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutputException("interrupted while receiving from " + source, e);
    } catch (ExecutionException e) {
      throw new OutputException(
          "a connection to " + source + " failed: " + e.getCause(), e.getCause());
    } finally {
      if (watchdog != null) {
        watchdog.shutdownNow();
      }
    }
  }

  private Void serve(Socket socket) {
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    report("connection from " + peer);
    try (socket;
        InputStream in = socket.getInputStream()) {
      Framer framer = new Framer(MAX_FRAME_BYTES, true, this::accept);
      byte[] buffer = new byte[8192];
      int count;
      while ((count = in.read(buffer)) >= 0) {
        framer.push(buffer, count);
      }
      framer.finish();
    } catch (IOException e) {
      report("connection from " + peer + " failed: " + e.getMessage());
    }
    report("connection from " + peer + " closed");
    return null;
  }

  /** Handles one frame: garbage is reported, a record is verified and printed. */
  synchronized void accept(Framer.Frame frame) {
    if (frame.overLong()) {
      garbage("over-long line (more than " + MAX_FRAME_BYTES + " bytes) skipped");
      return;
    }
    if (frame.unterminated()) {
      garbage("partial line at the end of input skipped (" + frame.bytes().length + " bytes)");
      return;
    }
    byte[] bytes = frame.bytes();
    int start = indexOf(bytes, MARKER);
    if (start < 0) {
      garbage("line without a record skipped (" + bytes.length + " bytes)");
      return;
    }
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7E) {
        garbage(
            String.format("line with byte 0x%02X at column %d skipped", bytes[i] & 0xFF, i + 1));
        return;
      }
    }
    String line = new String(bytes, start, bytes.length - start, StandardCharsets.US_ASCII);
    AlertRecord record;
    try {
      record = AlertRecord.parse(line);
    } catch (RecordFormatException e) {
      garbage("malformed record skipped: " + e.getMessage());
      return;
    }
    ChainVerifier.Verdict verdict = verifier.check(record);
    if (verdict.problem() != null) {
      alarm(verdict.message());
    }
    if (verdict.accepted()) {
      accepted++;
      lastAccepted = Instant.now();
      silenceReported = false;
      out.println(readable(record));
      out.flush();
    }
  }

  /** Formats an accepted record for people: number, time, host, kind and payload. */
  static String readable(AlertRecord record) {
    return "#"
        + record.sequence()
        + " "
        + record.time()
        + " "
        + record.host()
        + " "
        + record.kind()
        + " "
        + record.payloadJson();
  }

  /** Raises an alarm if no record was accepted within the heartbeat timeout. */
  synchronized void checkSilence(Instant now) {
    if (heartbeatTimeout == null || silenceReported) {
      return;
    }
    Duration silence = Duration.between(lastAccepted, now);
    if (silence.compareTo(heartbeatTimeout) > 0) {
      silenceReported = true;
      alarm(
          "no record for "
              + silence.toSeconds()
              + " seconds, more than the heartbeat timeout of "
              + heartbeatTimeout.toSeconds()
              + ": the host may be silenced");
    }
  }

  private ScheduledExecutorService startWatchdog() {
    if (heartbeatTimeout == null) {
      return null;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("telltale-watchdog").unstarted(runnable));
    long periodMillis = Math.max(100, Math.min(1000, heartbeatTimeout.toMillis() / 4));
    timer.scheduleAtFixedRate(
        () -> checkSilence(Instant.now()), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return timer;
  }

  private void finish(String reason) {
    checkSilence(Instant.now());
    synchronized (this) {
      report(
          reason
              + ": "
              + accepted
              + " records accepted, "
              + alarms
              + " alarms, "
              + garbage
              + " garbage lines; next expected record "
              + verifier.nextSequence());
    }
  }

  /** Returns whether any alarm was raised. */
  public synchronized boolean alarmed() {
    return alarms > 0;
  }

  private void garbage(String message) {
    garbage++;
    if (garbage <= GARBAGE_REPORTS_IN_FULL || garbage % 1000 == 0) {
      report("garbage #" + garbage + ": " + message);
    }
  }

  private synchronized void alarm(String message) {
    alarms++;
    err.println("*** TELLTALE ALARM: " + message + " ***");
    err.flush();
    if (alarmCommand != null) {
      runAlarmCommand(message);
    }
  }

  private void runAlarmCommand(String message) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(List.of("/bin/sh", "-c", alarmCommand))
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      // The message goes into the environment and onto stdin, never into the command line.
      builder.environment().put("TELLTALE_ALARM", message);
      Process process = builder.start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write((message + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The command may not read its input; the environment still carries the message.
      }
      if (!process.waitFor(ALARM_COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        report("alarm command timed out after " + ALARM_COMMAND_TIMEOUT_SECONDS + " seconds");
      } else if (process.exitValue() != 0) {
        report("alarm command exited with status " + process.exitValue());
      }
    } catch (IOException e) {
      report("alarm command failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void report(String message) {
    err.println("telltale receive: " + message);
    err.flush();
    LOG.log(System.Logger.Level.DEBUG, message);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
