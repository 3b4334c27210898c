package io.piholecheckpoint.core.gateway;

import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.units.LogText;

/**
 * A Pi-hole could not be used. The message names the Pi-hole and says what to do. It often
 * quotes the Pi-hole's own answer: control characters in it are escaped here, once, since the
 * message goes on to logs, the instance's status, notifications and the API.
 */
public class PiholeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as a stable code for the API and the status it gives the instance. */
  public enum Failure {
    WRONG_PASSWORD("wrong_password", ConnectionStatus.AUTH_ERROR, false),
    TWO_FACTOR("two_factor_failed", ConnectionStatus.AUTH_ERROR, false),
    NO_FREE_SEATS("api_seats_exceeded", ConnectionStatus.AUTH_ERROR, false),
    RATE_LIMITED("rate_limited", ConnectionStatus.ERROR, true),
    UNREACHABLE("unreachable", ConnectionStatus.UNREACHABLE, true),
    TIMEOUT("timeout", ConnectionStatus.UNREACHABLE, true),
    TLS("tls_error", ConnectionStatus.TLS_ERROR, false),
    /** http:// to a port that speaks TLS, or https:// to one that does not: permanent until the URL is fixed. */
    SCHEME_MISMATCH("scheme_mismatch", ConnectionStatus.ERROR, false),
    SERVER_UNAVAILABLE("pihole_unavailable", ConnectionStatus.UNREACHABLE, true),
    SERVER_ERROR("pihole_error", ConnectionStatus.ERROR, false),
    /** What answered at the URL is not a Pi-hole v6 API (a web page's 200, another service's 401): permanent until the URL is fixed. */
    NOT_A_PIHOLE("not_a_pihole", ConnectionStatus.ERROR, false),
    NOT_AN_ARCHIVE("not_an_archive", ConnectionStatus.ERROR, false),
    READ_ONLY("read_only_session", ConnectionStatus.AUTH_ERROR, false),
    MISCONFIGURED("misconfigured", ConnectionStatus.ERROR, false),
    /** Not the Pi-hole's doing: Checkpoint was stopping and cut the backup short. */
    CANCELLED("cancelled", ConnectionStatus.UNKNOWN, false);

    private final String code;
    private final ConnectionStatus status;
    private final boolean transientFailure;

    Failure(String code, ConnectionStatus status, boolean transientFailure) {
      this.code = code;
      this.status = status;
      this.transientFailure = transientFailure;
    }

    /** Worth another try after a pause: the Pi-hole may be restarting or briefly overloaded. */
    public boolean transientFailure() {
      return transientFailure;
    }

    public String code() {
      return code;
    }

    public ConnectionStatus status() {
      return status;
    }
  }

  private final Failure failure;
  private final boolean outcomeUnknown;
  private final String lastSeen;

  public PiholeException(Failure failure, String message) {
    this(failure, message, null, false, null);
  }

  public PiholeException(Failure failure, String message, Throwable cause) {
    this(failure, message, cause, false, null);
  }

  /** @param lastSeen see {@link #lastSeen()} */
  public PiholeException(Failure failure, String message, String lastSeen, Throwable cause) {
    this(failure, message, cause, false, lastSeen);
  }

  private PiholeException(Failure failure, String message, Throwable cause, boolean outcomeUnknown, String lastSeen) {
    super(LogText.withoutControls(message), cause);
    this.failure = failure;
    this.outcomeUnknown = outcomeUnknown;
    this.lastSeen = lastSeen == null ? null : LogText.withoutControls(lastSeen);
  }

  /**
   * A request that changes the Pi-hole was sent whole and answered with a server error (HTTP
   * 5xx): unlike a refusal (4xx), such an answer does not say whether the change was applied.
   */
  public static PiholeException outcomeUnknown(Failure failure, String message) {
    return new PiholeException(failure, message, null, true, null);
  }

  /**
   * The Pi-hole's last answer in a few words ("it refused the connection", "it answered HTTP
   * 503"), where the failure is one of being not ready: a record that lists what was left undone
   * says why without claiming an answer the Pi-hole never gave. Empty where not known.
   */
  public java.util.Optional<String> lastSeen() {
    return java.util.Optional.ofNullable(lastSeen);
  }

  public Failure failure() {
    return failure;
  }

  /** See {@link #outcomeUnknown(Failure, String)}. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /**
   * Whether the change request this ended may have been applied (a restore's or a sync's record lists it as not applied only
   * when it surely was not): a refusal is an answer, nothing was applied, and so is a rate limit's 429, however soon a retry
   * may pass; a request broken or cut off (a timeout, a stop) may have been, as may one answered with a server error.
   */
  public boolean mayHaveApplied() {
    boolean refused = failure == Failure.RATE_LIMITED && !outcomeUnknown;
    return !refused && failure.transientFailure() || failure == Failure.CANCELLED || outcomeUnknown;
  }
}
