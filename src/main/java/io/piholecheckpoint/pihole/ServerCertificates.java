package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.gateway.CertificateProbe;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** Connects to an https:// URL accepting any certificate, and describes the one it got. */
public final class ServerCertificates implements CertificateProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Override
  public ServerCertificate fetch(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.trim());
    } catch (java.net.URISyntaxException e) {
      throw new PiholeException(Failure.MISCONFIGURED, "'" + url + "' is not a URL");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new PiholeException(Failure.MISCONFIGURED, "only an https:// URL has a certificate to pin");
    }
    int port = uri.getPort() == -1 ? 443 : uri.getPort();
    var context = TlsContexts.forTrust(TlsTrust.INSECURE, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.startHandshake();
      X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      String sha256 = FingerprintingTrust.fingerprintOf(leaf);
      return new ServerCertificate(sha256, leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
          leaf.getNotAfter().toInstant(), leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()));
    } catch (IOException e) {
      throw new PiholeException(Failure.UNREACHABLE, "could not read the certificate of " + uri.getHost() + ":" + port + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new PiholeException(Failure.TLS, "could not read the certificate of " + uri.getHost() + ":" + port + ": " + e.getMessage(), e);
    }
  }
}
