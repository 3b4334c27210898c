package io.piholecheckpoint.testing;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Certificates shaped the way a Pi-hole makes its own: a private CA ({@code tls_ca.crt}) and an
 * EC server certificate it signs. Built in this JVM (the JDK signs, Bouncy Castle's ASN.1 classes
 * lay the certificate out), not with keytool: seven keytool processes a certificate cost seconds each
 * on a busy machine.
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The server's key and chain, and the CA certificate as PEM. The key is handed to TLS as it is, not through a PKCS12 key store:
   * a store's write and read each run PBKDF2 (10,000 rounds) for its MAC and its key, and in the unit-test JVMs (C1 only: no SHA-256
   * intrinsic) that was ~0.1 CPU-s a certificate, most of what making one cost (bench/RESULTS.md, r33 and r50-unit).
   */
  public static final class Certificate {
    private final Path pem;
    private final KeyManager[] keyManagers;
    private final String sha256Fingerprint;

    private Certificate(PrivateKey key, X509Certificate server, X509Certificate ca, Path pem) throws GeneralSecurityException {
      this.pem = pem;
      this.keyManagers = new KeyManager[] {new OneServerKey(key, new X509Certificate[] {server, ca})};
      this.sha256Fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(server.getEncoded()));
    }

    public Path pem() {
      return pem;
    }

    /** A context of its own for each server (no TLS session shared between servers), over the one key. */
    public SSLContext serverContext() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, null, null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** SHA-256 of the DER certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public String sha256Fingerprint() {
      return sha256Fingerprint;
    }
  }

  private TestCertificates() {
  }

  private static final Map<String, Certificate> MADE = new HashMap<>();

  /** For {@code 127.0.0.1} and {@code localhost}, valid now. */
  public static Certificate forLoopback() throws Exception {
    return made("loopback", loopback(), Duration.ZERO, Duration.ofDays(30));
  }

  /** Valid now, but for another host name only. */
  public static Certificate forOtherHost() throws Exception {
    return made("other", new GeneralNames(new GeneralName(GeneralName.dNSName, "other.lan")), Duration.ZERO, Duration.ofDays(30));
  }

  /** For loopback, expired two days ago. */
  public static Certificate expired() throws Exception {
    return made("expired", loopback(), Duration.ofDays(-3), Duration.ofDays(1));
  }

  /** Signed by its CA for {@code 127.0.0.1} in the common name (CN) alone, without a subjectAltName, as older guides make them. */
  public static Certificate commonNameOnly() throws Exception {
    return made("cn-only", null, Duration.ZERO, Duration.ofDays(30));
  }

  private static GeneralNames loopback() {
    return new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.dNSName, "localhost")});
  }

  /** Made once per test JVM; {@code san} null for none. */
  private static synchronized Certificate made(String name, GeneralNames san, Duration start, Duration validity) throws Exception {
    if (!MADE.containsKey(name)) {
      Path dir = Files.createTempDirectory("checkpoint-certs-");
      dir.toFile().deleteOnExit();
      MADE.put(name, make(dir, name, san, start, validity));
    }
    return MADE.get(name);
  }

  private static Certificate make(Path dir, String name, GeneralNames san, Duration start, Duration validity) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair caKeys = generator.generateKeyPair();
    KeyPair serverKeys = generator.generateKeyPair();
    Instant now = Instant.now();
    X500Name caName = new X500Name("CN=Pi-hole root CA");

    ExtensionsGenerator caExtensions = new ExtensionsGenerator();
    caExtensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate ca = sign(caName, caName, caKeys.getPublic(), caKeys.getPrivate(), now, now.plus(Duration.ofDays(3650)), caExtensions);

    ExtensionsGenerator serverExtensions = new ExtensionsGenerator();
    if (san == null) {
      serverExtensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    } else {
      serverExtensions.addExtension(Extension.subjectAlternativeName, false, san);
    }
    Instant notBefore = now.plus(start);
    X509Certificate server = sign(caName, new X500Name(san == null ? "CN=127.0.0.1" : "CN=pi.hole"), serverKeys.getPublic(), caKeys.getPrivate(),
        notBefore, notBefore.plus(validity), serverExtensions);

    Path pem = dir.resolve(name + "-ca.pem");
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    // after the folder's: deleteOnExit deletes in the reverse order, and a folder only once it is empty (each was left in /tmp)
    pem.toFile().deleteOnExit();
    return new Certificate(serverKeys.getPrivate(), server, ca, pem);
  }

  /** A server's one key and chain, offered for whichever EC key type the handshake asks for; no client key. */
  private static final class OneServerKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "pihole";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    OneServerKey(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    private String aliasFor(String keyType) {
      return keyType != null && keyType.startsWith(key.getAlgorithm()) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  /** An X.509 v3 certificate signed with ECDSA-SHA256, as keytool -gencert makes it. */
  private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey key, PrivateKey issuerKey, Instant notBefore,
      Instant notAfter, ExtensionsGenerator extensions) throws Exception {
    AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
    tbs.setSerialNumber(new ASN1Integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)));
    tbs.setSignature(algorithm);
    tbs.setIssuer(issuer);
    tbs.setSubject(subject);
    tbs.setStartDate(new Time(Date.from(notBefore)));
    tbs.setEndDate(new Time(Date.from(notAfter)));
    tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    tbs.setExtensions(extensions.generate());
    TBSCertificate body = tbs.generateTBSCertificate();

    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(issuerKey);
    signer.update(body.getEncoded(ASN1Encoding.DER));
    ASN1EncodableVector certificate = new ASN1EncodableVector();
    certificate.add(body);
    certificate.add(algorithm);
    certificate.add(new DERBitString(signer.sign()));
    byte[] der = new DERSequence(certificate).getEncoded(ASN1Encoding.DER);
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
