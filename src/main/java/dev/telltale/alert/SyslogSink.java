package dev.telltale.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.format.DateTimeFormatter;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends each record as an RFC 5424 message over TCP ({@code syslog+tcp://HOST:PORT}) or TLS ({@code
 * syslog+tls://HOST:PORT?ca=FILE}) with octet-counting framing (RFC 6587). The message is {@code
 * <PRI>1 TIME HOST telltale PID KIND [telltale@32473 seq=".." chain=".." seal=".."] RECORD}, so a
 * collector can index the sequence number and seal while the message part stays the whole record
 * line.
 *
 * <p>TLS trusts only the certificates in the CA file and verifies the server's host name or IP
 * address against its certificate.
 *
 * <p>NOTE: syslog over TCP has no acknowledgement. A record written just before the server dies can
 * be lost without an error here. The receiver's sequence check turns that loss into a gap alarm.
 * Before each write the sink checks whether the server closed the connection, which catches an
 * orderly server stop.
 *
 * <p>NOTE: Java sockets have no write timeout, so a server that accepts the connection but stops
 * reading blocks {@link #send} once the socket buffers are full.
 */
final class SyslogSink implements Sink {
  static final int CONNECT_TIMEOUT_MILLIS = 5000;
  private static final int FACILITY_AUTHPRIV = 10;
  // NOTE: 32473 is the private enterprise number that RFC 5612 reserves for documentation; telltale
  // has no number of its own yet.
  static final String SD_ID = "telltale@32473";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final String uri;
  private final String host;
  private final int port;
  private final SSLContext tls;
  private Socket socket;
  private OutputStream output;

  SyslogSink(String uri, String host, int port, SSLContext tls) {
    this.uri = uri;
    this.host = host;
    this.port = port;
    this.tls = tls;
  }

  /**
   * Builds a TLS context that trusts only the PEM certificates in the file.
   *
   * @throws IOException if the file cannot be read or contains no certificate
   */
  static SSLContext trustOnly(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + index++, certificate);
      }
      if (index == 0) {
        throw new IOException("no certificate in CA file " + caFile);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("invalid CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void send(AlertRecord record) throws IOException {
    if (socket != null && peerClosed()) {
      close();
    }
    if (socket == null) {
      connect();
    }
    byte[] message = AlertRecord.ascii(message(record));
    byte[] frame = AlertRecord.ascii(message.length + " ");
    try {
      output.write(frame);
      output.write(message);
      output.flush();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** Formats the RFC 5424 message for one record. */
  static String message(AlertRecord record) {
    int priority = FACILITY_AUTHPRIV * 8 + severity(record.kind());
    return "<"
        + priority
        + ">1 "
        + TIME.format(record.time())
        + " "
        + record.host()
        + " telltale "
        + ProcessHandle.current().pid()
        + " "
        + record.kind()
        + " ["
        + SD_ID
        + " seq=\""
        + record.sequence()
        + "\" chain=\""
        + record.chainId()
        + "\" seal=\""
        + record.seal()
        + "\"] "
        + record.toLine();
  }

  /** Maps an event kind to a syslog severity: changes warn, failures are errors. */
  private static int severity(String kind) {
    if (kind.equals("change")) {
      return 4;
    }
    if (kind.equals("error") || kind.endsWith(".failed")) {
      return 3;
    }
    if (kind.equals("heartbeat")) {
      return 6;
    }
    return 5;
  }

  private void connect() throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        secure.startHandshake();
        socket = secure;
      } else {
        socket = plain;
      }
      output = socket.getOutputStream();
    } catch (IOException e) {
      plain.close();
      socket = null;
      throw e;
    }
  }

  /** Returns whether the server has closed the connection, without blocking for long. */
  private boolean peerClosed() {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // The connection is being dropped; nothing was left unsent.
      }
      socket = null;
      output = null;
    }
  }
}
