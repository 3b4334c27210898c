package io.piholecheckpoint.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A port on loopback that answers the wrong scheme the ways real servers do. As a TLS port it
 * completes real TLS handshakes (certificate from {@link TestCertificates}) and answers a plain
 * HTTP request by closing (civetweb, the JDK), with a TLS alert (0x15 0x03 …), or with nginx's
 * 400 page; as a plain port it answers anything, a TLS ClientHello too, with a plain 400. It counts
 * the plain requests it got, so a test can see whether a client retried.
 */
public final class SchemeTestServer implements AutoCloseable {
  public enum Answer { CLOSE, TLS_ALERT, NGINX_400, PLAIN_HTTP }

  private static final byte TLS_HANDSHAKE = 0x16;
  private final ServerSocket server;
  private final Answer answer;
  private final SSLContext tls;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger plainRequests = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();

  public SchemeTestServer(Answer answer) throws Exception {
    this.answer = answer;
    this.tls = TestCertificates.forLoopback().serverContext();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::acceptAll);
  }

  /** The URL of this port with {@code scheme}, e.g. the wrong one. */
  public String url(String scheme) {
    return scheme + "://127.0.0.1:" + server.getLocalPort();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections that spoke plain HTTP (to the TLS port) or anything at all (to the plain port). */
  public int plainRequests() {
    return plainRequests.get();
  }

  /** TLS handshakes begun (ClientHellos received). */
  public int handshakes() {
    return handshakes.get();
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        threads.submit(() -> answer(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void answer(Socket socket) {
    try (socket) {
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      int first = in.read();
      if (answer != Answer.PLAIN_HTTP && first == TLS_HANDSHAKE) {
        handshakes.incrementAndGet(); // counted as it starts: the client may hang up as soon as its side is done
        try (SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, new ByteArrayInputStream(new byte[] {TLS_HANDSHAKE}), true)) {
          ssl.setUseClientMode(false);
          ssl.startHandshake();
        }
        return;
      }
      plainRequests.incrementAndGet();
      readRequest(in, first);
      OutputStream out = socket.getOutputStream();
      switch (answer) {
        case CLOSE -> { }
        case TLS_ALERT -> out.write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46});
        case NGINX_400 -> out.write(page("<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head><body>"
            + "<center><h1>400 Bad Request</h1></center><center>The plain HTTP request was sent to HTTPS port</center><hr><center>nginx</center></body></html>"));
        case PLAIN_HTTP -> out.write(page("Bad Request"));
      }
      out.flush();
      socket.shutdownOutput();
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static byte[] page(String body) {
    return ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Reads an HTTP request's head and body (by Content-Length), so closing does not reset it; for a ClientHello, what is there. */
  private static void readRequest(InputStream in, int first) throws IOException {
    StringBuilder head = new StringBuilder().append((char) first);
    while (!head.toString().endsWith("\r\n\r\n") && head.length() < 65536) {
      int b = in.read();
      if (b < 0 || (first == TLS_HANDSHAKE && in.available() == 0)) {
        return;
      }
      head.append((char) b);
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
