package io.piholecheckpoint.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port in front of a real server, which misbehaves on request: the
 * faults of a network and of a server that a client must survive, without a mock of the client.
 * Each connection takes the fault set when it is accepted; {@link #forward()} heals the proxy.
 * Works on plain streams, so the faults that touch bytes (cut, replace, canned answers) are for
 * plain-HTTP servers; {@link #stall()} and {@link #refuse()} work for any protocol (SSH too).
 */
public final class FaultProxy implements AutoCloseable {
  private sealed interface Fault {
  }

  private record Forward() implements Fault {
  }

  /** Accepts and reads but never answers: the client's timeout must fire. */
  private record Stall() implements Fault {
  }

  /** Accepts and closes at once. */
  private record Refuse() implements Fault {
  }

  private record CutRequest(long afterBytes) implements Fault {
  }

  private record CutResponse(long afterBytes) implements Fault {
  }

  /** A {@link CutRequest} for the next connection only; those after it are forwarded. */
  private record CutNextRequest(long afterBytes) implements Fault {
  }

  private record Replace(byte[] from, byte[] to) implements Fault {
  }

  private record Respond(byte[] response) implements Fault {
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong stalled = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Fault fault = new Forward();

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy forwarding to {@code host:port} until told otherwise. */
  public static FaultProxy to(String host, int port) throws IOException {
    return new FaultProxy(new InetSocketAddress(host, port));
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many connections were accepted so far. */
  public int connections() {
    return accepted.get();
  }

  /** How many bytes the stalled connections took so far: a client that sent its whole request is waiting for the answer. */
  public long stalledBytes() {
    return stalled.get();
  }

  public FaultProxy forward() {
    fault = new Forward();
    return this;
  }

  public FaultProxy stall() {
    fault = new Stall();
    return this;
  }

  public FaultProxy refuse() {
    fault = new Refuse();
    return this;
  }

  /** Forwards the first {@code bytes} the client sends, then closes both sides. */
  public FaultProxy cutRequestAfter(long bytes) {
    fault = new CutRequest(bytes);
    return this;
  }

  /**
   * Cuts the next connection after the client sent {@code bytes} on it, as {@link #cutRequestAfter}, and forwards every connection
   * after that one: a link that breaks once, which a client's retry must survive.
   */
  public FaultProxy cutNextRequestAfter(long bytes) {
    fault = new CutNextRequest(bytes);
    return this;
  }

  /** Forwards the first {@code bytes} the server answers, then closes both sides. */
  public FaultProxy cutResponseAfter(long bytes) {
    fault = new CutResponse(bytes);
    return this;
  }

  /** Replaces every occurrence of {@code from} in what the server answers with {@code to} (ASCII). */
  public FaultProxy replaceInResponse(String from, String to) {
    fault = new Replace(from.getBytes(StandardCharsets.ISO_8859_1), to.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  /**
   * Answers every request with these raw bytes (status line, headers, blank line, body) once its
   * head has arrived, without asking the server, then closes. {@link #httpResponse} builds one.
   */
  public FaultProxy respond(String rawResponse) {
    fault = new Respond(rawResponse.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  /** A complete HTTP/1.1 answer with a Content-Length, closing the connection. */
  public static String httpResponse(int status, String reason, String contentType, String body) {
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length
        + "\r\nConnection: close\r\n\r\n" + new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Closes every connection open now (those accepted later take the fault then set). */
  public void dropConnections() {
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  @Override
  public void close() {
    closeQuietly(server);
    dropConnections();
    closed.countDown();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      open.add(client);
      Fault now = fault;
      if (now instanceof CutNextRequest once) {
        fault = new Forward();
        now = new CutRequest(once.afterBytes());
      }
      Fault taken = now;
      start("fault-proxy-conn", () -> serve(client, taken));
    }
  }

  private void serve(Socket client, Fault now) {
    try {
      if (now instanceof Refuse) {
        closeQuietly(client);
      } else if (now instanceof Stall) {
        drain(client.getInputStream(), stalled);
        closed.await();
      } else if (now instanceof Respond r) {
        readRequestHead(client.getInputStream());
        client.getOutputStream().write(r.response());
        client.getOutputStream().flush();
        client.shutdownOutput();
        drain(client.getInputStream());
      } else {
        relay(client, now);
      }
    } catch (IOException | InterruptedException e) {
      // the client or the proxy went away: nothing to report to anyone
    } finally {
      closeQuietly(client);
      open.remove(client);
    }
  }

  private void relay(Socket client, Fault now) throws IOException {
    Socket upstream = new Socket();
    open.add(upstream);
    try {
      upstream.connect(target, 5_000);
      long requestLimit = now instanceof CutRequest c ? c.afterBytes() : Long.MAX_VALUE;
      long responseLimit = now instanceof CutResponse c ? c.afterBytes() : Long.MAX_VALUE;
      Thread up = start("fault-proxy-up", () -> pump(client, upstream, requestLimit, null));
      pump(upstream, client, responseLimit, now instanceof Replace r ? r : null);
      try {
        up.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      closeQuietly(upstream);
      open.remove(upstream);
    }
  }

  /** Copies {@code from} to {@code to}; after {@code limit} bytes closes both sockets. */
  private static void pump(Socket from, Socket to, long limit, Replace replace) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      long sent = 0;
      // a tail that could begin a match is held back, so that a match split between two reads is found
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      for (int n; (n = in.read(buffer)) != -1; ) {
        byte[] chunk = buffer;
        int length = n;
        if (replace != null) {
          pending.write(buffer, 0, n);
          byte[] replaced = replaceAll(pending.toByteArray(), replace.from(), replace.to());
          int keep = partialMatchAtEnd(replaced, replace.from());
          chunk = replaced;
          length = replaced.length - keep;
          pending.reset();
          pending.write(replaced, length, keep);
        }
        int allowed = (int) Math.min(length, limit - sent);
        out.write(chunk, 0, allowed);
        out.flush();
        sent += allowed;
        if (sent >= limit) {
          closeQuietly(from);
          closeQuietly(to);
          return;
        }
      }
      out.write(pending.toByteArray());
      out.flush();
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** The length of the longest end of {@code data} that is a proper beginning of {@code match}. */
  private static int partialMatchAtEnd(byte[] data, byte[] match) {
    for (int k = Math.min(data.length, match.length - 1); k > 0; k--) {
      if (java.util.Arrays.equals(data, data.length - k, data.length, match, 0, k)) {
        return k;
      }
    }
    return 0;
  }

  static byte[] replaceAll(byte[] data, byte[] from, byte[] to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    int i = 0;
    while (i < data.length) {
      if (i + from.length <= data.length && java.util.Arrays.equals(data, i, i + from.length, from, 0, from.length)) {
        out.write(to, 0, to.length);
        i += from.length;
      } else {
        out.write(data[i++]);
      }
    }
    return out.toByteArray();
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int b; matched < 4 && (b = in.read()) != -1; ) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static void drain(InputStream in) throws IOException {
    drain(in, new AtomicLong());
  }

  private static void drain(InputStream in, AtomicLong counted) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        counted.addAndGet(n); // read and dropped: the client may send as much as it likes
      }
    } catch (SocketException e) {
      // closed under us
    }
  }

  private static Thread start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // closing is all that was asked
    }
  }
}
