package dev.telltale.alert;

import dev.telltale.OutputException;
import dev.telltale.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/** Parses sink URIs and sink configuration files. */
public final class Sinks {
  private static final Pattern SYSLOG =
      Pattern.compile(
          "syslog\\+(tcp|tls)://(\\[[0-9a-fA-F:.]+\\]|[^:/?\\[\\]]+):([0-9]{1,5})(\\?.*)?");
  private static final int MAX_CONFIG_BYTES = 65536;

  private Sinks() {}

  /**
   * Reads a sink configuration file: one sink URI per line; blank lines and lines starting with
   * {@code #} are ignored.
   *
   * @throws UsageException if the file cannot be read, is larger than 64 KiB, or a line is not a
   *     valid sink URI; the message names the line
   */
  public static List<String> readConfig(Path file) throws UsageException {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        throw new UsageException("sink configuration " + file + " is larger than 64 KiB");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read sink configuration " + file + ": " + e.getMessage());
    }
    List<String> uris = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        validate(line);
      } catch (UsageException e) {
        throw new UsageException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
      uris.add(line);
    }
    return uris;
  }

  /** Returns whether a serial line speed in bits per second is supported. */
  public static boolean isSupportedSpeed(int bitsPerSecond) {
    return SerialPort.SPEEDS.containsKey(bitsPerSecond);
  }

  /** Returns the supported serial line speeds in bits per second, ascending. */
  public static List<Integer> supportedSpeeds() {
    return SerialPort.SPEEDS.keySet().stream().sorted().toList();
  }

  /** Checks a sink URI without opening anything. */
  public static void validate(String uri) throws UsageException {
    try {
      open(uri).close();
    } catch (OutputException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * Creates the sink for a URI. Nothing is opened or connected until the first record.
   *
   * @throws UsageException if the URI is malformed or of an unknown scheme
   * @throws OutputException if the CA file of a TLS sink cannot be read
   */
  static Sink open(String uri) throws UsageException, OutputException {
    if (uri.startsWith("sealed:") || uri.startsWith("file:")) {
      String path = uri.substring(uri.indexOf(':') + 1);
      requireNonEmpty(uri, path);
      return new FileSink(uri, Path.of(path));
    }
    if (uri.startsWith("exec:")) {
      String command = uri.substring("exec:".length()).strip();
      requireNonEmpty(uri, command);
      return new ExecSink(uri, command);
    }
    if (uri.startsWith("serial:")) {
      return serial(uri);
    }
    Matcher syslog = SYSLOG.matcher(uri);
    if (syslog.matches()) {
      return syslog(uri, syslog);
    }
    throw new UsageException(
        "invalid sink '"
            + uri
            + "': expected sealed:PATH, file:PATH, exec:COMMAND, serial:DEVICE?baud=N,"
            + " syslog+tcp://HOST:PORT or syslog+tls://HOST:PORT?ca=FILE");
  }

  private static Sink serial(String uri) throws UsageException {
    String rest = uri.substring("serial:".length());
    int query = rest.indexOf('?');
    String device = query < 0 ? rest : rest.substring(0, query);
    requireNonEmpty(uri, device);
    int bitsPerSecond = 115200;
    if (query >= 0) {
      String parameter = rest.substring(query + 1);
      if (!parameter.matches("baud=[0-9]{1,7}")) {
        throw new UsageException(
            "invalid sink '" + uri + "': the only parameter is baud=N, for example baud=115200");
      }
      bitsPerSecond = Integer.parseInt(parameter.substring("baud=".length()));
    }
    if (!isSupportedSpeed(bitsPerSecond)) {
      throw new UsageException(
          "invalid sink '"
              + uri
              + "': unsupported speed "
              + bitsPerSecond
              + " (supported: "
              + supportedSpeeds()
              + ")");
    }
    return new SerialSink(uri, device, bitsPerSecond);
  }

  private static Sink syslog(String uri, Matcher matcher) throws UsageException, OutputException {
    String host = matcher.group(2);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(matcher.group(3));
    if (port < 1 || port > 65535) {
      throw new UsageException("invalid sink '" + uri + "': port must be 1 to 65535");
    }
    String query = matcher.group(4);
    if (matcher.group(1).equals("tcp")) {
      if (query != null) {
        throw new UsageException("invalid sink '" + uri + "': syslog+tcp takes no parameters");
      }
      return new SyslogSink(uri, host, port, null);
    }
    if (query == null || !query.startsWith("?ca=") || query.length() == 4) {
      throw new UsageException(
          "invalid sink '" + uri + "': syslog+tls needs ?ca=FILE with the trusted CA certificates");
    }
    Path caFile = Path.of(query.substring(4));
    SSLContext tls;
    try {
      tls = SyslogSink.trustOnly(caFile);
    } catch (IOException e) {
      throw new OutputException("cannot use sink '" + uri + "': " + e.getMessage(), e);
    }
    return new SyslogSink(uri, host, port, tls);
  }

  private static void requireNonEmpty(String uri, String part) throws UsageException {
    if (part.isEmpty()) {
      throw new UsageException("invalid sink '" + uri + "': nothing after the scheme");
    }
  }
}
