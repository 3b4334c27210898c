package io.piholecheckpoint.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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

  @ParameterizedTest
  @CsvSource({"Sec-Fetch-Mode", "sec-fetch-dest", "SEC-FETCH-USER", "Sec-Fetch-Site", "Origin", "Referer", "cookie"})
  void anyHeaderOnlyBrowsersSendMakesItABrowsersRequest(String name) {
    assertThat(CsrfGuard.fromBrowser(List.of("Host", "Content-Type", name))).isTrue();
  }

  @Test
  void aRequestWithoutThemIsAScriptsAndNotOpenToCsrf() {
    assertThat(CsrfGuard.fromBrowser(List.of("Host", "Content-Type", "Authorization", "User-Agent", "X-CSRF-Token"))).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Sec-Fetch-Site: cross-site",
      "Sec-Fetch-Site: Cross-Site",
      "sec-fetch-site: CROSS-SITE",
      "Sec-Fetch-Site: something-new",
      "Origin: http://evil.example",
      "ORIGIN: http://evil.example",
      "Origin: null",
      "Origin: NULL",
      "Origin: null; Sec-Fetch-Site: same-site",
      "Origin: null; Sec-Fetch-Site: none",
      "Referer: http://evil.example/form.html",
      "referer: http://127.0.0.1:9000/",
      "Referer: not a url",
      "Origin: http://evil.example; Referer: http://pi.lan:8000/",
      "Origin: http://evil.example; Sec-Fetch-Site: same-origin"})
  void aBrowsersRequestFromAnotherOriginIsCrossSite(String headers) {
    assertThat(CsrfGuard.originRefusal(headers(headers), "http")).as(headers).isEqualTo(CsrfGuard.Refusal.CROSS_SITE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Origin: http://pi.lan:8000; Origin: http://evil.example",
      "Origin: http://evil.example; origin: http://pi.lan:8000",
      "Origin: http://pi.lan:8000; Origin: http://pi.lan:8000",
      "Sec-Fetch-Site: same-origin; Sec-Fetch-Site: cross-site",
      "Referer: http://pi.lan:8000/; Referer: http://evil.example/",
      "Origin: http://pi.lan:8000; Host: evil.example"})
  void aHeaderThatSaysWhereTheRequestComesFromSentTwiceIsRefused(String headers) {
    assertThat(CsrfGuard.originRefusal(headers(headers), "http")).as(headers).isEqualTo(CsrfGuard.Refusal.REPEATED);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Origin: https://pi.lan:8000|http",
      "Referer: https://pi.lan:8000/instances|http",
      "Origin: http://pi.lan:8000|https"})
  void anOriginOfAnotherSchemeIsRefusedNamingTrustedProxies(String headers, String scheme) {
    assertThat(CsrfGuard.originRefusal(headers(headers), scheme)).as(headers).isEqualTo(CsrfGuard.Refusal.OTHER_SCHEME);
    assertThat(CsrfGuard.Refusal.OTHER_SCHEME.message).contains("TRUSTED_PROXIES");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Sec-Fetch-Mode: cors",
      "Sec-Fetch-Site: same-origin",
      "Sec-Fetch-Site: Same-Origin",
      "Sec-Fetch-Site: none",
      "Sec-Fetch-Site: same-site",
      "Origin: http://pi.lan:8000",
      "origin: HTTP://PI.LAN:8000",
      "Origin: null; Sec-Fetch-Site: same-origin",
      "Referer: http://pi.lan:8000/instances/new",
      "Origin: http://pi.lan:8000; Referer: http://evil.example/",
      "Cookie: a=b"})
  void aBrowsersRequestFromThisServerIsNot(String headers) {
    assertThat(CsrfGuard.originRefusal(headers(headers), "http")).as(headers).isNull();
  }

  @Test
  void anHttpsOriginIsOurOwnOverHttps() {
    assertThat(CsrfGuard.originRefusal(headers("Origin: https://pi.lan:8000"), "https")).isNull();
  }

  /** "Name: value; Name: value" with Host pi.lan:8000 (unless given), every value of a name, looked up without regard to case as a container does. */
  private static java.util.function.Function<String, List<String>> headers(String spec) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String header : spec.split(";")) {
      int colon = header.indexOf(':');
      map.computeIfAbsent(header.substring(0, colon).trim(), n -> new java.util.ArrayList<>()).add(header.substring(colon + 1).trim());
    }
    map.computeIfAbsent("Host", n -> new java.util.ArrayList<>()).add(0, "pi.lan:8000");
    return name -> map.getOrDefault(name, List.of());
  }
}
