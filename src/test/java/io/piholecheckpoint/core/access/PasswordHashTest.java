package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  private static final int FEW_ITERATIONS = 1_000; // the algorithm is the same; 600,000 would only slow the test

  @Test
  void acceptsTheRightPasswordAndNoOther() {
    PasswordHash hash = PasswordHash.of("correct horse".toCharArray(), new SecureRandom(), FEW_ITERATIONS);

    assertThat(hash.matches("correct horse".toCharArray())).isTrue();
    assertThat(hash.matches("correct hors".toCharArray())).isFalse();
    assertThat(hash.matches("Correct horse".toCharArray())).isFalse();
    assertThat(hash.matches(new char[0])).isFalse();
  }

  @Test
  void overwritesThePlainCharactersItWasGiven() {
    char[] password = "s3cret".toCharArray();
    char[] candidate = "s3cret".toCharArray();

    PasswordHash hash = PasswordHash.of(password, new SecureRandom(), FEW_ITERATIONS);
    hash.matches(candidate);

    assertThat(password).containsOnly('\0');
    assertThat(candidate).containsOnly('\0');
  }

  @Test
  void usesOwaspsIterationCountAndNeverPrintsTheHash() {
    assertThat(PasswordHash.ITERATIONS).isGreaterThanOrEqualTo(600_000);
    assertThat(AppPassword.of("x".toCharArray()).iterations()).as("the app password's").isEqualTo(PasswordHash.ITERATIONS);
    assertThat(PasswordHash.of("x".toCharArray(), new SecureRandom(), FEW_ITERATIONS).toString()).doesNotContainPattern("[0-9a-f]{16}");
  }

  @Test
  void anAppPasswordMatchesOnceHashedInTheBackground() {
    AppPassword password = AppPassword.of("letmein-please".toCharArray(), FEW_ITERATIONS);
    password.hashInBackground(new byte[16]);

    assertThat(password.matches("letmein-please".toCharArray())).isTrue();
    assertThat(password.matches("letmein".toCharArray())).isFalse();
    assertThat(password).hasToString("AppPassword[hidden]");
  }
}
