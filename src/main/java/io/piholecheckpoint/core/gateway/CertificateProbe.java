package io.piholecheckpoint.core.gateway;

import java.time.Instant;

/** Reads the certificate a TLS server presents, without trusting it, so a person can pin it. */
public interface CertificateProbe {

  /** @param sha256 the fingerprint to pin, as colon-separated uppercase hex */
  record ServerCertificate(String sha256, String subject, String issuer, Instant notAfter, boolean selfSigned) {
  }

  /** @throws PiholeException when the server cannot be reached or speaks no TLS */
  ServerCertificate fetch(String url);
}
