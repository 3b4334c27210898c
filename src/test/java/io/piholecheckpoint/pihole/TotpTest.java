package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

  /** RFC 6238 appendix B (SHA1, secret "12345678901234567890"), cut to Pi-hole's 6 digits. */
  @ParameterizedTest
  @CsvSource({"59, 287082", "1111111109, 81804", "1234567890, 5924", "2000000000, 279037"})
  void matchesTheRfcTestVectors(long epochSecond, int code) {
    assertThat(new Totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").code(Instant.ofEpochSecond(epochSecond))).isEqualTo(code);
  }

  @Test
  void acceptsLowercaseAndSpacedSecrets() {
    assertThat(new Totp("jbsw y3dp ehpk 3pxp").code(Instant.ofEpochSecond(59))).isEqualTo(996554);
  }

  @Test
  void rejectsASecretThatIsNotBase32() {
    assertThatThrownBy(() -> new Totp("not-base32!")).hasMessageContaining("base32");
  }

  @Test
  void findsTheStepOfAnInstantAndWhereAStepStarts() {
    assertThat(Totp.step(Instant.ofEpochSecond(61))).isEqualTo(2);
    assertThat(Totp.step(Instant.ofEpochSecond(90))).isEqualTo(3);
    assertThat(Totp.start(3)).isEqualTo(Instant.ofEpochSecond(90));
  }
}
