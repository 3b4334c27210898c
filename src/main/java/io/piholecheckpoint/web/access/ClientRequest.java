package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** The request as seen from the client's side of any trusted proxy. */
final class ClientRequest extends HttpServletRequestWrapper {
  private final TrustedProxies.Client client;

  ClientRequest(HttpServletRequest request, TrustedProxies.Client client) {
    super(request);
    this.client = client;
  }

  @Override
  public String getRemoteAddr() {
    return client.address();
  }

  @Override
  public String getRemoteHost() {
    return client.address();
  }

  @Override
  public boolean isSecure() {
    return client.secure();
  }

  @Override
  public String getScheme() {
    return client.secure() ? "https" : "http";
  }
}
