package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
  private final BearerToken token = BearerToken.of("0123456789abcdef0123");

  @Test
  void acceptsOnlyTheExactTokenAsBearer() {
    assertThat(token.acceptsHeader("Bearer 0123456789abcdef0123")).isTrue();
    assertThat(token.acceptsHeader("bearer 0123456789abcdef0123")).isTrue();
    assertThat(token.acceptsHeader("Bearer 0123456789abcdef012")).isFalse();
    assertThat(token.acceptsHeader("Basic 0123456789abcdef0123")).isFalse();
    assertThat(token.acceptsHeader(null)).isFalse();
  }

  @Test
  void refusesATokenTooShortToBeSafe() {
    assertThatThrownBy(() -> BearerToken.of("short")).hasMessageContaining("shorter than 16");
  }
}
