package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.files.SecretFiles;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The SSLContext for each way of trusting a Pi-hole's certificate. */
final class TlsContexts {
  /** Starts the message of a pin mismatch, so that Errors can recognise it. */
  static final String PIN_MISMATCH = "certificate fingerprint does not match the pinned one";

  private TlsContexts() {
  }

  /**
   * The context for {@code trust}. A certificate the JVM's trust store or a CA file refuses is
   * refused with its fingerprint ({@link FingerprintingTrust}), so the message can offer the
   * value to pin.
   */
  static SSLContext forTrust(TlsTrust trust, PiholeTarget target) {
    return switch (trust.mode()) {
      case SYSTEM -> context(new FingerprintingTrust(systemTrust()));
      case CA_FILE -> context(new FingerprintingTrust(caTrust(trust, target)));
      case FINGERPRINT -> context(new PinnedTrust(trust.fingerprint(), true));
      case INSECURE -> context(new PinnedTrust(null, false));
    };
  }

  /** The trust store every other TLS client of the JVM uses (javax.net.ssl.trustStore, else the JDK's cacerts). */
  private static X509ExtendedTrustManager systemTrust() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime's trust store cannot be read", e);
    }
  }

  private static SSLContext context(TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime offers no TLS", e);
    }
  }

  /** Trusts the CA certificates of a PEM file or text, with the usual host name check. */
  private static X509ExtendedTrustManager caTrust(TlsTrust trust, PiholeTarget target) {
    String source = trust.caFile() != null ? target.setting("CA_FILE", "CA file") + "=" + trust.caFile() : "the CA certificate in its settings";
    // read by the one reader of a setting's file: a folder is said to be one ("Is a directory" was all the user read), a FIFO
    // not waited on; its bytes kept as they are (ISO-8859-1), as a CA file in DER works as well as one in PEM
    try (InputStream in = new java.io.ByteArrayInputStream(trust.caFile() != null
        ? SecretFiles.read(Path.of(trust.caFile()), source, SecretFiles.CERTIFICATES, true, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1)
        : trust.caPem().getBytes(StandardCharsets.US_ASCII))) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new CertificateException("no certificate in the file");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    } catch (OwnedPaths.Unusable e) {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, "Pi-hole '%s' is not contacted: %s — name the file of its CA certificate (e.g. the Pi-hole's tls_ca.crt)"
          .formatted(target.name(), e.getMessage()));
    } catch (IOException | GeneralSecurityException e) {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, "cannot use %s for Pi-hole '%s': %s — it must be the CA certificate in PEM or DER (e.g. the Pi-hole's tls_ca.crt)"
          .formatted(source, target.name(), e.getMessage()));
    }
  }

  /**
   * Accepts exactly the certificate with the pinned SHA-256 fingerprint, or, unpinned, any
   * certificate. Being an X509ExtendedTrustManager also turns off java.net.http's host name
   * check, which a pin makes unnecessary (and which IP addresses and self-signed certificates fail).
   */
  private static final class PinnedTrust extends ServerTrustManager {
    private final String pin;
    private final boolean pinned;

    PinnedTrust(String pin, boolean pinned) {
      this.pin = pin;
      this.pinned = pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (!pinned) {
        return;
      }
      String actual = FingerprintingTrust.fingerprintOf(chain[0]).replace(":", "").toLowerCase(Locale.ROOT);
      if (!actual.equals(pin)) {
        throw FingerprintingTrust.refusal(chain, new CertificateException(PIN_MISMATCH));
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      checkServerTrusted(chain, authType);
    }




    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
