package io.piholecheckpoint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Certificates made with the JDK's keytool the way a Pi-hole makes its own: a private CA
 * ({@code tls_ca.crt}) and a server certificate it signs.
 */
public final class TestCertificates {
  private static final char[] PASSWORD = "changeit".toCharArray();

  /** The server's key store (key and chain), and the CA certificate as PEM. */
  public record Certificate(Path keyStore, Path pem) {

    public SSLContext serverContext() {
      try (InputStream in = Files.newInputStream(keyStore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, PASSWORD);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** SHA-256 of the DER certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public String sha256Fingerprint() {
      try (InputStream in = Files.newInputStream(keyStore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, PASSWORD);
        X509Certificate cert = (X509Certificate) store.getCertificate("pihole");
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {
  }

  private static final Map<String, Certificate> MADE = new HashMap<>();

  /** For {@code 127.0.0.1} and {@code localhost}, valid now. */
  public static Certificate forLoopback() throws Exception {
    return made("loopback", "SAN=ip:127.0.0.1,dns:localhost", List.of());
  }

  /** Valid now, but for another host name only. */
  public static Certificate forOtherHost() throws Exception {
    return made("other", "SAN=dns:other.lan", List.of());
  }

  /** For loopback, expired two days ago. */
  public static Certificate expired() throws Exception {
    return made("expired", "SAN=ip:127.0.0.1,dns:localhost", List.of("-startdate", "-3d", "-validity", "1"));
  }

  /** Made once per test JVM: each takes several keytool runs. */
  private static synchronized Certificate made(String name, String san, List<String> validity) throws Exception {
    if (!MADE.containsKey(name)) {
      Path dir = Files.createTempDirectory("checkpoint-certs-");
      dir.toFile().deleteOnExit();
      MADE.put(name, make(dir, name, san, validity));
    }
    return MADE.get(name);
  }

  private static Certificate make(Path dir, String name, String san, List<String> validity) throws Exception {
    Path ca = dir.resolve(name + "-ca.p12");
    Path caPem = dir.resolve(name + "-ca.pem");
    Path store = dir.resolve(name + ".p12");
    Path request = dir.resolve(name + ".csr");
    Path signed = dir.resolve(name + ".crt");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Pi-hole root CA",
        "-ext", "bc:c", "-validity", "3650", "-keystore", ca.toString());
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
    keytool("-genkeypair", "-alias", "pihole", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=pi.hole", "-keystore", store.toString());
    keytool("-certreq", "-alias", "pihole", "-keystore", store.toString(), "-file", request.toString());
    List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", request.toString(),
        "-outfile", signed.toString(), "-rfc", "-ext", san));
    sign.addAll(validity.isEmpty() ? List.of("-validity", "30") : validity);
    keytool(sign.toArray(String[]::new));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", store.toString(), "-file", caPem.toString());
    keytool("-importcert", "-alias", "pihole", "-keystore", store.toString(), "-file", signed.toString());
    return new Certificate(store, caPem);
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(keytool()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", "changeit"));
    if (!List.of(arguments).contains("-keystore")) {
      throw new IllegalArgumentException("keytool needs a key store");
    }
    run(command);
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }
}
