package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Set;
import javax.net.ssl.SSLException;

/** Turns transport failures and unexpected answers into messages that say what to do. */
final class Errors {
  private static final Set<Integer> UNAVAILABLE = Set.of(502, 503, 504);

  private Errors() {
  }

  static PiholeException unexpected(PiholeTarget target, String call, int status, JsonNode answer) {
    String detail = answer.path("error").path("message").asText("");
    String says = detail.isEmpty() ? "" : " (\"" + detail + "\")";
    if (UNAVAILABLE.contains(status)) {
      return new PiholeException(Failure.SERVER_UNAVAILABLE, "Pi-hole '%s' answered the %s with HTTP %d%s: it, or a proxy in front of it, is restarting or overloaded"
          .formatted(target.name(), call, status, says));
    }
    return new PiholeException(Failure.SERVER_ERROR, "Pi-hole '%s' answered the %s with HTTP %d%s — check its logs and that it runs Pi-hole v6"
        .formatted(target.name(), call, status, says));
  }

  static PiholeException transport(PiholeTarget target, IOException e) {
    String where = "Pi-hole '%s' at %s".formatted(target.name(), target.url());
    if (e instanceof HttpConnectTimeoutException) {
      return new PiholeException(Failure.TIMEOUT, where + " did not accept a connection in time — check that it is running and reachable from here", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new PiholeException(Failure.TIMEOUT, where + " did not answer within " + target.timeout().toSeconds()
          + " s — it may be overloaded or restarting; raise " + target.setting("TIMEOUT_SECONDS", "timeout") + " if it is just slow", e);
    }
    if (has(e, SSLException.class)) {
      return new PiholeException(Failure.TLS, where + " failed the TLS check: " + tlsProblem(e, target), e);
    }
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: its host name could not be resolved — check the URL and DNS", e);
    }
    if (has(e, ConnectException.class)) {
      return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: connection refused — check that it is running and the URL and port are right", e);
    }
    return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: " + rootMessage(e), e);
  }

  /** Which TLS problem, and the setting that fixes it. */
  private static String tlsProblem(Throwable e, PiholeTarget target) {
    String all = messages(e);
    String pin = target.setting("TLS_FINGERPRINT", "TLS fingerprint");
    if (all.contains(TlsContexts.PIN_MISMATCH)) {
      return "its certificate does not match the pinned fingerprint" + all.substring(all.indexOf(TlsContexts.PIN_MISMATCH) + TlsContexts.PIN_MISMATCH.length()).split("\n")[0]
          + " — if its certificate was renewed, update " + pin;
    }
    if (has(e, CertificateExpiredException.class) || has(e, CertificateNotYetValidException.class)) {
      return "its certificate has expired or is not valid yet — renew it on the Pi-hole (or pin it with " + pin + ")";
    }
    if (all.contains("No subject alternative") || all.contains("No name matching")) {
      return "its certificate was issued for another host name — use the name in the certificate in the URL, or pin the certificate with " + pin;
    }
    if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
      return "its certificate is not trusted (self-signed or from an unknown CA) — set " + target.setting("CA_FILE", "CA file")
          + " to the Pi-hole's CA certificate (tls_ca.crt), or pin it with " + pin + ", or as a last resort set "
          + target.setting("VERIFY_SSL", "verify") + "=false";
    }
    return rootMessage(e);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
