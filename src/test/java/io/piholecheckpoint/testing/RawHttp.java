package io.piholecheckpoint.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 spoken by hand on loopback, one connection per request, so a test can send a request
 * target exactly as written ({@code curl --path-as-is}), which no HTTP client library will.
 */
public final class RawHttp {
  private RawHttp() {
  }

  /** An answer: its status (0 if the server closed without one), the Location header (or ""), and the body. */
  public record Answer(int status, String location, String body) {
  }

  /** Sends {@code head} (lines separated by \n; CRLF is sent) followed by an empty line and {@code body}. */
  public static Answer exchange(int port, String head, String body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(20_000);
      String request = head.replace("\n", "\r\n") + "\r\n\r\n" + body;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
    }
  }

  static Answer parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ");
    int code = status.length > 1 && status[0].startsWith("HTTP/") ? Integer.parseInt(status[1]) : 0;
    String location = "";
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("location:")) {
        location = line.substring("location:".length()).trim();
      }
    }
    return new Answer(code, location, body);
  }
}
