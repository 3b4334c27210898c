package io.piholecheckpoint.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * A Pi-hole Checkpoint serving on the loopback interface, as tests talk to it: {@link RunningApp}
 * in its own process, {@link InProcessApp} in the test's JVM.
 */
public interface ServedApp extends AutoCloseable {
  /** HTTP/1.1, as browsers, curl and Prometheus speak to it. */
  HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  int port();

  /** The zone the app reads schedules in (its TIME_ZONE). */
  ZoneId zone();

  /** What it logged (and printed) so far. */
  String output();

  @Override
  void close();

  default String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  default HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  default HttpResponse<byte[]> download(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  default HttpResponse<String> post(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.noBody())
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A new instance without a schedule of its own is given one away from now (AwayFromNow), not the default 03:00. */
  default HttpResponse<String> send(String method, String path, String jsonBody) throws Exception {
    String sent = jsonBody != null && method.equals("POST") && path.equals("/api/v1/instances") ? AwayFromNow.apply(jsonBody, zone()) : jsonBody;
    HttpRequest.BodyPublisher body = sent == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(sent);
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).method(method, body)
        .header("Accept", "application/json").header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs {@code content} as multipart/form-data field {@code field}, like a browser's file upload. */
  default HttpResponse<String> upload(String path, String field, String fileName, byte[] content) throws Exception {
    String boundary = "----checkpoint" + System.nanoTime();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(head);
    body.writeBytes(content);
    body.writeBytes(tail);
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@link #upload}, the file streamed from disk with its length up front: a 50 MB archive without a copy in the test's heap. */
  default HttpResponse<String> upload(String path, String field, String fileName, java.nio.file.Path file) throws Exception {
    String boundary = "----checkpoint" + System.nanoTime();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/zip\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofString(tail));
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .header("Accept", "application/json").POST(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends only the head of a request, as written, and returns the status line of the answer: how
   * to see a refusal that must come before the body is read (an HTTP client that is still sending
   * a large body may see the connection reset instead of the answer).
   */
  default String statusLineOfHead(String head) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write((head.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
    }
  }

  /**
   * Sends {@code request} (lines joined with CRLF, body after a blank line) from the loopback
   * address {@code from} — 127.0.0.2 and 127.0.0.3 are other peers than the usual 127.0.0.1 —
   * and returns the whole answer.
   */
  default String exchangeFrom(String from, String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port(), java.net.InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
