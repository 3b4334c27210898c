package io.piholecheckpoint.pihole;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's certificate exactly as the trust manager it wraps does (host name included:
 * the wrapped one is called with the connection), and when that refuses it, the refusal carries
 * the SHA-256 fingerprint of the certificate the server presented ({@link Refusal}), so that the
 * message can offer it, ready to pin. The presented certificate is only looked at, never trusted.
 */
final class FingerprintingTrust extends ServerTrustManager {
  private final X509ExtendedTrustManager checks;

  FingerprintingTrust(X509ExtendedTrustManager checks) {
    this.checks = checks;
  }

  /** A refused server certificate and its fingerprint; the wrapped trust manager's reason is its cause and message. */
  static final class Refusal extends CertificateException {
    private final String fingerprint;

    Refusal(String fingerprint, CertificateException reason) {
      super(reason.getMessage(), reason);
      this.fingerprint = fingerprint;
    }

    /** As our fingerprint setting takes it and {@code openssl x509 -fingerprint -sha256} prints it: "AB:CD:…". */
    String fingerprint() {
      return fingerprint;
    }
  }

  /** The SHA-256 fingerprint of {@code certificate} as colon-separated upper-case hex. */
  static String fingerprintOf(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the Java runtime offers no SHA-256", e);
    }
  }

  /** The refusal of {@code chain} for {@code reason}, with the leaf's fingerprint when there is one. */
  static CertificateException refusal(X509Certificate[] chain, CertificateException reason) {
    if (chain == null || chain.length == 0 || reason instanceof Refusal) {
      return reason;
    }
    try {
      return new Refusal(fingerprintOf(chain[0]), reason);
    } catch (CertificateEncodingException e) {
      return reason;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    try {
      checks.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refusal(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    try {
      checks.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refusal(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      checks.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refusal(chain, e);
    }
  }




  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return checks.getAcceptedIssuers();
  }
}
