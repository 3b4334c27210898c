package io.piholecheckpoint.core.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Round 31's outsider: names equal under full case folding were two names ("Straße" and "STRASSE", "İnfo" and "info"). */
class InstanceNamesSameTest {
  @ParameterizedTest
  @CsvSource({"Straße, STRASSE", "İnfo, info", "İNFO, info", "ınfo, INFO", "Attic, attic", "ﬁle server, FILE SERVER", "Ｈｏｍｅ, home",
      "ΣΊΣΥΦΟΣ, σίσυφος", "Σίσυφος, σίσυφοσ", "Cafe\u0301, CAFÉ", "i\u0307nfo, info"})
  void namesEqualUnderFullCaseFoldingAreOneName(String a, String b) {
    assertThat(InstanceNames.same(a, b)).as(a + " / " + b).isTrue();
    assertThat(InstanceNames.same(b, a)).as(b + " / " + a).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"Home, Home 2", "info, inf", "Straße, Strase", "Café, Cafe", "Pi-hole 1, Pi-hole I"})
  void namesThatDifferStayTwo(String a, String b) {
    assertThat(InstanceNames.same(a, b)).as(a + " / " + b).isFalse();
  }
}
