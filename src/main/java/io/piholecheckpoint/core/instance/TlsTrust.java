package io.piholecheckpoint.core.instance;

import java.util.Locale;

/**
 * Which server certificates a Pi-hole connection accepts. In order of preference: the JVM's
 * trust store, a CA certificate (PEM: a file named in the environment, or the text pasted in
 * the UI), a pinned SHA-256 fingerprint of the server certificate, or anything at all.
 */
public record TlsTrust(Mode mode, String caFile, String caPem, String fingerprint) {

  public enum Mode { SYSTEM, CA_FILE, FINGERPRINT, INSECURE }

  public static final TlsTrust SYSTEM = new TlsTrust(Mode.SYSTEM, null, null, null);
  public static final TlsTrust INSECURE = new TlsTrust(Mode.INSECURE, null, null, null);

  /**
   * A pin whose variable could not be read: kept as a pin without a fingerprint, which the rules refuse (the instance is marked
   * and not contacted, as with a CA file that cannot be read), never dropped for a weaker trust that accepts what it would refuse.
   */
  public static final TlsTrust UNREAD_PIN = new TlsTrust(Mode.FINGERPRINT, null, null, null);

  /** Why an {@link #UNREAD_PIN} is not used, naming {@code variable}. */
  public static String unreadPin(String variable) {
    return variable + " is not a SHA-256 fingerprint (64 hex digits, colons allowed); only the certificate it names would be accepted, so the"
        + " Pi-hole is not contacted";
  }

  public static TlsTrust caFile(String path) {
    return new TlsTrust(Mode.CA_FILE, path, null, null);
  }

  public static TlsTrust caPem(String pem) {
    return new TlsTrust(Mode.CA_FILE, null, pem, null);
  }

  /** Accepts "AB:CD:…", "abcd…", "SHA256:…" and "sha256 Fingerprint=AB:…"; stored as 64 lowercase hex digits. */
  public static TlsTrust fingerprint(String fingerprint) {
    // also the whole line `openssl x509 -fingerprint -sha256` prints: "sha256 Fingerprint=CD:…" (or "SHA256 …" before OpenSSL 3)
    String hex = fingerprint.trim().replaceFirst("(?i)^(sha-?256\\s+fingerprint\\s*=|sha-?256:)", "").replace(":", "").replace(" ", "")
        .toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a TLS fingerprint is the SHA-256 of the certificate: 64 hex digits, colons allowed");
    }
    return new TlsTrust(Mode.FINGERPRINT, null, null, hex);
  }

  /**
   * Why this trust cannot be used with {@code url}: a pinned fingerprint or a CA certificate is checked only over TLS, and with
   * an http:// URL the backups (password hashes and all) would travel in plain text under a mode that says otherwise.
   */
  public java.util.Optional<String> overHttp(String url) {
    if (url == null || !url.regionMatches(true, 0, "http://", 0, "http://".length()) || mode == Mode.SYSTEM || mode == Mode.INSECURE) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(("TLS settings (%s) need an https:// URL: over http:// no certificate is checked and the backups travel in"
        + " plain text — write the URL with https:// (the Pi-hole's TLS port), or leave the TLS settings out")
        .formatted(mode == Mode.FINGERPRINT ? "a pinned certificate fingerprint" : "a CA certificate"));
  }

  /** Fingerprint, then CA file, then the verify flag: the most specific setting wins. */
  public static TlsTrust of(boolean verify, String caFile, String fingerprint) {
    if (fingerprint != null && !fingerprint.isBlank()) {
      return fingerprint(fingerprint);
    }
    if (caFile != null && !caFile.isBlank()) {
      return caFile(caFile.trim());
    }
    return verify ? SYSTEM : INSECURE;
  }
}
