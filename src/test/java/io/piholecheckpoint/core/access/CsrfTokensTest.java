package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {
  private final CsrfTokens tokens = new CsrfTokens(new SecureRandom());

  @Test
  void acceptsTheTokenItIssuedForTheSameBinding() {
    String token = tokens.issue("session:abc");

    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(tokens.accepts("session:abc", token)).isTrue();
  }

  @Property
  void aTokenOpensNoOtherBinding(@ForAll String binding, @ForAll String other) {
    String token = tokens.issue(binding);

    assertThat(tokens.accepts(other, token)).isEqualTo(other.equals(binding));
  }

  @Property
  void theBindingItselfIsNeverItsToken(@ForAll String binding) {
    assertThat(tokens.accepts(binding, binding)).isFalse();
    assertThat(tokens.accepts("browser:" + binding, binding)).isFalse();
  }

  @Test
  void anotherProcessKeyMakesOtherTokens() {
    CsrfTokens restarted = new CsrfTokens(new SecureRandom());

    assertThat(restarted.accepts("session:abc", tokens.issue("session:abc"))).isFalse();
  }

  @Test
  void nothingIsNoToken() {
    assertThat(tokens.accepts(null, tokens.issue("x"))).isFalse();
    assertThat(tokens.accepts("x", null)).isFalse();
  }
}
