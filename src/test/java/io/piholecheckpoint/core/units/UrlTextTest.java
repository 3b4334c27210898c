package io.piholecheckpoint.core.units;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlTextTest {
  @Test
  void aUrlIsShownAsItsSchemeAndHostOnlyWhetherOrNotItParses() {
    assertThat(UrlText.redacted("https://hc-ping.com/uuid-SECRET")).isEqualTo("https://hc-ping.com");
    assertThat(UrlText.redacted("HTTPS://user:pw@kuma.lan:3001/api/push/TOKEN?status=up")).isEqualTo("https://kuma.lan");
    assertThat(UrlText.redacted("https://hc-ping.example/uuid-SECRET|")).isEqualTo("https://hc-ping.example");
    assertThat(UrlText.redacted("http://[fd00::1]:8080/x")).isEqualTo("http://[fd00::1]");
    assertThat(UrlText.redacted("not a url SECRET")).isEqualTo("(an address that cannot be read)");
    assertThat(UrlText.redacted(null)).isEqualTo("(an address that cannot be read)");
  }

  @Test
  void aProblemWithAUrlSaysWhatIsWrongWithoutQuotingIt() {
    assertThat(UrlText.httpProblem("https://hc-ping.example/uuid-SECRET|")).get().asString()
        .doesNotContain("SECRET").contains("Illegal character in path at character 36");
    assertThat(UrlText.httpProblem("ftp://host/SECRET")).contains("it does not start with http:// or https://");
    assertThat(UrlText.httpProblem("https:///SECRET")).contains("it has no host that can be read");
    assertThat(UrlText.httpProblem("https://hc-ping.com/uuid")).isEmpty();
  }
}
