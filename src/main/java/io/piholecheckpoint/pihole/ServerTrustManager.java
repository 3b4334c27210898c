package io.piholecheckpoint.pihole;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** A trust manager of the client side only: we never accept connections, so no client is ever trusted. */
abstract class ServerTrustManager extends X509ExtendedTrustManager {
  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("not a server");
  }
}
