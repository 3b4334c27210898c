package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeException.Failure;
import io.piholecheckpoint.core.backup.PiholeTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/** Turns transport failures and unexpected answers into messages that say what to do. */
final class Errors {
  private Errors() {
  }

  static PiholeException unexpected(PiholeTarget target, String call, int status, JsonNode answer) {
    String detail = answer.path("error").path("message").asText("");
    String says = detail.isEmpty() ? "" : " (\"" + detail + "\")";
    return new PiholeException(Failure.SERVER_ERROR, "Pi-hole '%s' answered the %s with HTTP %d%s — check its logs and that it runs Pi-hole v6"
        .formatted(target.name(), call, status, says));
  }

  static PiholeException transport(PiholeTarget target, IOException e) {
    String where = "Pi-hole '%s' at %s".formatted(target.name(), target.url());
    if (e instanceof HttpConnectTimeoutException) {
      return new PiholeException(Failure.TIMEOUT, where + " did not accept a connection in time — check that it is running and reachable from here", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new PiholeException(Failure.TIMEOUT, where + " did not answer in time — it may be overloaded or restarting; the next run will try again", e);
    }
    if (has(e, SSLException.class)) {
      return new PiholeException(Failure.TLS, where + " failed the TLS check: " + rootMessage(e)
          + " — trust its certificate, or set its VERIFY_SSL to false for a self-signed certificate", e);
    }
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: its host name could not be resolved — check the URL and DNS", e);
    }
    if (has(e, ConnectException.class)) {
      return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: connection refused — check that it is running and the URL and port are right", e);
    }
    return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: " + rootMessage(e), e);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
