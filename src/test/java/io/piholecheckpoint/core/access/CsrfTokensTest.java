package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {
  private static final String SECRET = "a-shared-secret-of-well-over-32-characters";
  private final CsrfTokens tokens = new CsrfTokens(SessionSecret.of(SECRET));

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
  void anotherNodeWithTheSameSecretAcceptsTheTokenAndOneWithAnotherDoesNot() {
    CsrfTokens sameSecret = new CsrfTokens(SessionSecret.of(SECRET));
    CsrfTokens otherSecret = new CsrfTokens(SessionSecret.of(SECRET + "!"));

    assertThat(sameSecret.accepts("session:abc", tokens.issue("session:abc"))).isTrue();
    assertThat(otherSecret.accepts("session:abc", tokens.issue("session:abc"))).isFalse();
  }

  @Test
  void aShortSecretIsRefusedSayingHowToMakeOne() {
    assertThatThrownBy(() -> SessionSecret.of("short")).hasMessageContaining("shorter than 32 characters").hasMessageContaining("openssl rand");
    assertThat(SessionSecret.of(SECRET)).hasToString("SessionSecret[hidden]");
  }

  @Test
  void nothingIsNoToken() {
    assertThat(tokens.accepts(null, tokens.issue("x"))).isFalse();
    assertThat(tokens.accepts("x", null)).isFalse();
  }
}
