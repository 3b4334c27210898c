package io.piholecheckpoint.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A POST without a Content-Length: the body in chunks, as a client streaming a file of unknown
 * size sends it; the server can tell it is too large only by reading it.
 */
public final class ChunkedUpload {
  private ChunkedUpload() {
  }

  /**
   * Sends {@code start}, then {@code mebibytes} MiB of filler, and returns the answer (status line,
   * headers, body); stops sending as soon as the server has answered.
   */
  public static String send(int port, String path, String contentType, String start, int mebibytes) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + contentType
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] filler = new byte[64 * 1024];
      Arrays.fill(filler, (byte) 'x');
      try {
        chunk(out, start.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < mebibytes * 16 && socket.getInputStream().available() == 0; i++) {
          chunk(out, filler);
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // the server answered and closed while we were still sending: its answer is still to read
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder answer = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        answer.append(line).append('\n');
      }
      return answer.toString();
    }
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }
}
