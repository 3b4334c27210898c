package io.piholecheckpoint.web.access;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsrfGuardTest {
  @ParameterizedTest
  @CsvSource({
      "http://127.0.0.1:8000, 127.0.0.1:8000",
      "http://Pi.Lan:8000, pi.lan:8000",
      "https://pi.lan, pi.lan",
      "https://pi.lan, pi.lan:443",
      "http://pi.lan, pi.lan:80",
      "http://[::1]:8000, [::1]:8000",
      "https://pi.lan:8443, pi.lan"})
  void anOriginOfTheAddressedHostIsOurOwn(String origin, String host) {
    assertThat(CsrfGuard.sameOrigin(origin, host)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "http://evil.example, pi.lan",
      "http://pi.lan.evil.example, pi.lan",
      "http://evil.example:8000, 127.0.0.1:8000",
      "http://127.0.0.1:9000, 127.0.0.1:8000",
      "https://pi.lan, pi.lan:80",
      "null, pi.lan",
      "'', pi.lan",
      "http://pi.lan/path, pi.lan",
      "http://user@pi.lan, pi.lan",
      "pi.lan, pi.lan",
      "http://[::1]:9000, [::1]:8000"})
  void anyOtherOriginIsAnotherSite(String origin, String host) {
    assertThat(CsrfGuard.sameOrigin(origin, host)).as(origin + " vs " + host).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"http://pi.lan"})
  void noHostHeaderMatchesNothing(String origin) {
    assertThat(CsrfGuard.sameOrigin(origin, null)).isFalse();
  }
}
