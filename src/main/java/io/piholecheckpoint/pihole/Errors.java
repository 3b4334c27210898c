package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLException;

/** Turns transport failures and unexpected answers into messages that say what to do. */
final class Errors {
  private static final Set<Integer> UNAVAILABLE = Set.of(502, 503, 504);

  private Errors() {
  }

  static PiholeException unexpected(PiholeTarget target, String call, int status, JsonNode answer) {
    String says = says(target, answer);
    if (UNAVAILABLE.contains(status)) {
      return new PiholeException(Failure.SERVER_UNAVAILABLE, "Pi-hole '%s' answered the %s with HTTP %d%s: it, or a proxy in front of it, is restarting or overloaded"
          .formatted(target.name(), call, status, says), "it answered HTTP " + status, null);
    }
    return new PiholeException(Failure.SERVER_ERROR, "Pi-hole '%s' answered the %s with HTTP %d%s — check its logs and that it runs Pi-hole v6"
        .formatted(target.name(), call, status, says));
  }

  /**
   * A 429 to a request that changes the Pi-hole: refused before it was applied (pihole-api.md: rate limiting answers before the
   * work), so it says that, and when to try again: in the seconds or at the date of the answer's {@code Retry-After}, else soon.
   */
  static PiholeException limited(PiholeTarget target, String call, java.util.Optional<String> retryAfter, JsonNode answer) {
    String when = retryAfter.map(String::strip).filter(v -> !v.isEmpty())
        .map(v -> v.matches("\\d{1,9}") ? "in " + Long.parseLong(v) + " s (its Retry-After)" : "after " + v + " (its Retry-After)")
        .orElse("in a minute or so (it gave no Retry-After)");
    return new PiholeException(Failure.RATE_LIMITED, "Pi-hole '%s' is limiting requests and refused the %s with HTTP 429%s; nothing was applied. Try again %s"
        .formatted(target.name(), call, says(target, answer), when));
  }

  /** Longest message or hint of the Pi-hole's quoted: enough for FTL's own, not for a page of a proxy's HTML. */
  private static final int QUOTE_LIMIT = 300;

  /**
   * The Pi-hole's error message and hint, quoted for the user: {@code (\"Invalid file\"; hint: \"The
   * uploaded file does not appear…\")}, or "" when it said neither. The hint is often what says
   * what to do. Controls are escaped by {@link PiholeException}, HTML by the pages; a quote that
   * holds the instance's password or TOTP secret (an echoing proxy, say) is left out.
   */
  static String says(PiholeTarget target, JsonNode answer) {
    JsonNode error = answer.path("error");
    String message = quote(target, error.path("message"));
    String hint = quote(target, error.path("hint"));
    if (message.isEmpty() && hint.isEmpty()) {
      return "";
    }
    return " (" + (message.isEmpty() ? "" : "\"" + message + "\"") + (message.isEmpty() || hint.isEmpty() ? "" : "; ")
        + (hint.isEmpty() ? "" : "hint: \"" + hint + "\"") + ")";
  }

  private static String quote(PiholeTarget target, JsonNode field) {
    String text = field.isTextual() ? field.asText().strip() : "";
    boolean secret = java.util.stream.Stream.of(target.password(), target.totpSecret())
        .flatMap(java.util.Optional::stream).anyMatch(value -> !value.isEmpty() && text.contains(value));
    if (secret) {
      return "(left out: it quoted a secret)";
    }
    return text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "…" : text;
  }

  /** A timeout as the messages say it: "10 s"; a fraction only where there is one (tests wait out short ones). */
  static String seconds(Duration timeout) {
    return BigDecimal.valueOf(timeout.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  static PiholeException transport(PiholeTarget target, IOException e) {
    String where = "Pi-hole '%s' at %s".formatted(target.name(), target.url());
    if (e instanceof HttpConnectTimeoutException) {
      return new PiholeException(Failure.TIMEOUT, where + " did not accept a connection in time — check that it is running and reachable from here",
          "it did not accept a connection in time", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new PiholeException(Failure.TIMEOUT, where + " did not answer within " + seconds(target.timeout())
          + " — it may be overloaded or restarting; raise " + target.setting("TIMEOUT_SECONDS", "timeout") + " if it is just slow",
          "it timed out after " + seconds(target.timeout()), e);
    }
    if (has(e, SSLException.class)) {
      return new PiholeException(Failure.TLS, where + " failed the TLS check: " + tlsProblem(e, target), e);
    }
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: its host name could not be resolved — check the URL and DNS",
          "its host name could not be resolved", e);
    }
    if (has(e, ConnectException.class)) {
      return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: connection refused — check that it is running and the URL and port are right",
          "it refused the connection", e);
    }
    return new PiholeException(Failure.UNREACHABLE, where + " is unreachable: " + rootMessage(e), "the connection failed (" + rootMessage(e) + ")", e);
  }

  /**
   * Which TLS problem, and the setting that fixes it. When the certificate was refused, the
   * fingerprint of the one the server presented is offered ready to pin: a Pi-hole with its
   * self-signed certificate (every Pi-hole out of the box; 1.x did not verify) then needs one
   * pasted line, after the user compared it with the Pi-hole's own.
   */
  private static String tlsProblem(Throwable e, PiholeTarget target) {
    String all = messages(e);
    String presented = cause(e, FingerprintingTrust.Refusal.class).map(FingerprintingTrust.Refusal::fingerprint).orElse(null);
    String pin = pinAdvice(target, presented);
    if (all.contains(TlsContexts.PIN_MISMATCH)) {
      return "its certificate does not match the pinned fingerprint — if its certificate was renewed, " + pin;
    }
    if (has(e, CertificateExpiredException.class) || has(e, CertificateNotYetValidException.class)) {
      return "its certificate has expired or is not valid yet — renew it on the Pi-hole, or " + pin;
    }
    if (all.contains("No subject alternative names present")) {
      // the JDK's words for a certificate without the extension, checked against an IP address: it never reads the CN then
      return "its certificate has no subjectAltName, and TLS clients today (Java's, browsers) check the address only there, not in the"
          + " certificate's common name (CN) — issue it again with the Pi-hole's name or IP address as a subjectAltName (openssl:"
          + " -addext \"subjectAltName=IP:…,DNS:…\"), or " + pin;
    }
    if (all.contains("No subject alternative") || all.contains("No name matching")) {
      return "its certificate was issued for another host name — use the name in the certificate in the URL, or " + pin;
    }
    if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
      return "its certificate is not trusted (self-signed or from an unknown CA) — " + pin + "; or set " + target.setting("CA_FILE", "CA file")
          + " to the Pi-hole's CA certificate (tls_ca.crt), or as a last resort set " + target.setting("VERIFY_SSL", "verify") + "=false";
    }
    return rootMessage(e);
  }

  /**
   * How to pin the certificate: with the presented one's fingerprint as the variable's value to
   * paste, or for an instance made in the UI, the form field to paste it in; a fingerprint is
   * only as good as the comparison with the Pi-hole's own, so the command for that comes along.
   */
  private static String pinAdvice(PiholeTarget target, String presented) {
    if (presented == null) {
      return "pin its certificate with " + target.setting("TLS_FINGERPRINT", "TLS fingerprint");
    }
    String check = " (if it is your Pi-hole's: compare with `sudo openssl x509 -noout -fingerprint -sha256 -in /etc/pihole/tls.pem` on the Pi-hole)";
    if (target.settingsPrefix() == null) {
      return "pin the certificate it presented: on its Edit page set Trust to \"Only this certificate (fingerprint)\" and paste "
          + presented + " into \"SHA-256 fingerprint\"" + check;
    }
    return "pin the certificate it presented: " + target.settingsPrefix() + "TLS_FINGERPRINT=" + presented + check;
  }

  private static <T extends Throwable> java.util.Optional<T> cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return java.util.Optional.of(type.cast(t));
      }
    }
    return java.util.Optional.empty();
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    return cause(e, type).isPresent();
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
