package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.gateway.CertificateProbe.ServerCertificate;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.TestCertificates;
import org.junit.jupiter.api.Test;

class ServerCertificatesTest {
  private final ServerCertificates probe = new ServerCertificates();

  @Test
  void readsTheFingerprintToPinFromTheServer() throws Exception {
    TestCertificates.Certificate cert = TestCertificates.forOtherHost();
    try (FakePihole pihole = FakePihole.builder().password("labpass").https(cert).start()) {
      ServerCertificate read = probe.fetch(pihole.url());

      assertThat(read.sha256()).isEqualTo(cert.sha256Fingerprint());
      assertThat(read.subject()).isEqualTo("CN=pi.hole");
      assertThat(read.selfSigned()).isFalse();
    }
  }

  @Test
  void refusesAPlainHttpUrl() {
    assertThatThrownBy(() -> probe.fetch("http://pi.hole"))
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(PiholeException.Failure.MISCONFIGURED));
  }
}
