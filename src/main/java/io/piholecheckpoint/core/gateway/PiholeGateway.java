package io.piholecheckpoint.core.gateway;

/** Talks to Pi-hole's REST API. Implementations throw {@link PiholeException} on every failure. */
public interface PiholeGateway {

  /** Logs in (or finds that no password is needed). Close the session to give its seat back. */
  PiholeSession open(PiholeTarget target);

  /**
   * Ends every archive download in progress, at shutdown: each fails, and the thread that ran
   * it is left interrupted, so that its caller knows it was cancelled (and cleans up, logs out).
   */
  void cancelDownloads();
}
