package io.piholecheckpoint.core.offsite.remote;

import java.io.IOException;

/**
 * A destination refused or failed, with a message a user can act on (what failed, where, what to
 * do) that never holds a secret. The problem decides what the core does next: retry later, or
 * say that a setting must change.
 */
public class DestinationException extends IOException {

  public enum Problem {
    /** Down, refused the connection, or the network failed: retried with backoff. */
    UNREACHABLE,
    /** Too slow: no answer within the destination's timeout; retried with backoff. */
    TIMEOUT,
    /** Wrong credentials or no permission (HTTP 401/403, SSH authentication): a setting must change. */
    REFUSED,
    /** The SSH host key is not the pinned one: a setting must change, or someone is in the middle. */
    HOST_KEY_MISMATCH,
    /** Quota exceeded or disk full. */
    FULL,
    /** No object under the key. */
    MISSING,
    /** Anything else the destination answered. */
    FAILED
  }

  private final Problem problem;

  public DestinationException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public DestinationException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
