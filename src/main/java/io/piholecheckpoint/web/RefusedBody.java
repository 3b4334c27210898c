package io.piholecheckpoint.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * A refused request's body, read to its end and dropped before the refusal is written. A server that answers and closes while
 * the client still sends resets the connection, and the client then sees no answer at all, only "connection reset"; one that
 * answers and closes after the client sent all may find the client already sending its next request on that connection
 * ("header parser received no bytes"). Drained, the connection stays usable. A larger body is not worth reading; its sender may
 * see that reset.
 */
public final class RefusedBody {
  /** How much of a refused body is read (and dropped) so that the client hears the refusal. */
  static final long DRAINED_BYTES = 1024 * 1024;

  private RefusedBody() {
  }

  public static void drain(HttpServletRequest request) {
    if (request.getContentLengthLong() <= DRAINED_BYTES) {
      byte[] dropped = new byte[8192];
      long left = DRAINED_BYTES;
      try {
        InputStream in = request.getInputStream();
        for (int n; left > 0 && (n = in.read(dropped, 0, (int) Math.min(dropped.length, left))) > 0; ) {
          left -= n;
        }
      } catch (IOException | IllegalStateException e) {
        // the client has gone, or the body was read as a reader already: the refusal is all it would have had anyway
      }
    }
  }
}
