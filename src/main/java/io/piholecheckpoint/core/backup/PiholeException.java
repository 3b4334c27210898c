package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.instance.ConnectionStatus;

/** A Pi-hole could not be used. The message names the Pi-hole and says what to do. */
public class PiholeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as a stable code for the API and the status it gives the instance. */
  public enum Failure {
    WRONG_PASSWORD("wrong_password", ConnectionStatus.AUTH_ERROR),
    NO_FREE_SEATS("api_seats_exceeded", ConnectionStatus.AUTH_ERROR),
    RATE_LIMITED("rate_limited", ConnectionStatus.ERROR),
    UNREACHABLE("unreachable", ConnectionStatus.UNREACHABLE),
    TIMEOUT("timeout", ConnectionStatus.UNREACHABLE),
    TLS("tls_error", ConnectionStatus.TLS_ERROR),
    SERVER_ERROR("pihole_error", ConnectionStatus.ERROR),
    NOT_AN_ARCHIVE("not_an_archive", ConnectionStatus.ERROR),
    MISCONFIGURED("misconfigured", ConnectionStatus.ERROR);

    private final String code;
    private final ConnectionStatus status;

    Failure(String code, ConnectionStatus status) {
      this.code = code;
      this.status = status;
    }

    public String code() {
      return code;
    }

    public ConnectionStatus status() {
      return status;
    }
  }

  private final Failure failure;

  public PiholeException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public PiholeException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
