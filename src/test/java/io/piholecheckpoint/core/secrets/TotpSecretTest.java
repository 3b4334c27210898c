package io.piholecheckpoint.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpSecretTest {

  /** Outsider 51 (F1): "A" is base32 but 5 bits, no byte of key; it was stored and every login then failed in SecretKeySpec. */
  @ParameterizedTest
  @ValueSource(strings = {"A", "A=", "a", " 7 ", "A-", "Q======="})
  void aSecretTooShortToMakeAKeyIsRefusedSayingWhatAPiholeSecretLooksLike(String secret) {
    assertThat(TotpSecret.problem(secret)).hasValueSatisfying(p -> assertThat(p).contains("too short to make a key", "at least 2",
        "webserver.api.totp_secret", "32 letters A–Z and digits 2–7"));
  }

  @Test
  void twoCharactersMakeOneByteOfKey() {
    assertThat(TotpSecret.problem("AB")).isEmpty();
    assertThat(TotpSecret.key("ab")).hasSize(1);
    assertThat(TotpSecret.key("JBSW Y3DP-EHPK 3PXP")).hasSize(10);
  }

  @Test
  void aSecretThatIsNotBase32IsRefusedWithoutQuotingIt() {
    assertThat(TotpSecret.problem("JBSWY3DP!HPK3PXP")).hasValueSatisfying(p -> assertThat(p).startsWith("A TOTP secret is base32")
        .doesNotContain("!").doesNotContain("JBSW"));
    assertThat(TotpSecret.problem("========")).hasValueSatisfying(p -> assertThat(p).contains("too short"));
  }
}
