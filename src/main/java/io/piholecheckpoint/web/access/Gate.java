package io.piholecheckpoint.web.access;

/**
 * What a dispatched path asks of a client. Deny by default: the open paths are listed here, by
 * exact path or whole-segment prefix; every other path, including ones no servlet serves, needs
 * sign-in.
 */
enum Gate {
  /** {@code /health} (and its twin {@code /health/}, see {@link SlashTwins}) and {@code /static/…}: nothing to protect. */
  OPEN,
  /** {@code /login}: open, and it changes state, so it carries the CSRF check. */
  SIGN_IN,
  /** {@code /metrics}: the METRICS_TOKEN, if one is set. */
  METRICS,
  /** {@code /api/…}: a session or (under /api/v1) the API token; answers in JSON. */
  API,
  /** Everything else: a session. */
  PAGE;

  static Gate of(String path) {
    if (SlashTwins.monitorAddress(path).equals("/health") || path.startsWith("/static/")) {
      return OPEN;
    }
    if (path.equals("/login")) {
      return SIGN_IN;
    }
    if (path.equals("/metrics") || path.startsWith("/metrics/")) {
      return METRICS;
    }
    if (path.equals("/api") || path.startsWith("/api/")) {
      return API;
    }
    return PAGE;
  }

  /** Whether the API token is an answer here: the versioned API only. */
  static boolean takesApiToken(String path) {
    return path.equals("/api/v1") || path.startsWith("/api/v1/");
  }
}
