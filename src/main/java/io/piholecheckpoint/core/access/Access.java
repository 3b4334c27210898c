package io.piholecheckpoint.core.access;

import java.util.Optional;

/**
 * Who may use the app: with an app password, browsers sign in and scripts send the API token;
 * without one, everyone who can reach the port may do everything (the UI says so).
 */
public record Access(
    Optional<AppPassword> password,
    Optional<BearerToken> apiToken,
    Optional<BearerToken> metricsToken,
    TrustedProxies proxies,
    Sessions sessions,
    LoginThrottle throttle,
    CsrfTokens csrf) {

  public boolean signInRequired() {
    return password.isPresent();
  }
}
