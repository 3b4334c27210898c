package io.piholecheckpoint.launcher;

import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.QoSHandler;

/**
 * At most {@link #AT_ONCE} requests that carry a body (uploads, JSON, forms) are handled at once;
 * the others wait for a turn without a thread. The web app reads bodies blocking: a client that
 * announces a large body, sends a few bytes and goes silent holds its thread until the idle
 * timeout, and ~30 of them took all the threads, /health included (outsider report, round 30).
 * Reads (GET, HEAD) never wait here, so /health, the pages and the API's reads keep the rest.
 */
final class BodyReadingLimit {
  /** Well under the launcher's 32 threads (an acceptor and a selector among them); a household sends a few at once. */
  static final int AT_ONCE = 10;
  private BodyReadingLimit() {
  }

  /**
   * A request waits for its turn two thirds of the connector's {@code idleTimeout} (20 s of the
   * default 30 s) before it is refused (503): under the idle timeout, which would otherwise end a
   * waiting request's connection first, and Jetty's servlet layer, handed that failed request when
   * its turn came, answered 500 with a stack trace.
   */
  static Handler around(Handler app, Duration idleTimeout) {
    QoSHandler limit = new QoSHandler(app);
    limit.includeMethod("POST", "PUT", "PATCH", "DELETE");
    limit.setMaxRequestCount(AT_ONCE);
    limit.setMaxSuspend(maxWait(idleTimeout));
    return limit;
  }

  static Duration maxWait(Duration idleTimeout) {
    return idleTimeout.multipliedBy(2).dividedBy(3);
  }
}
