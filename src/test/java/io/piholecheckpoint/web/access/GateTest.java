package io.piholecheckpoint.web.access;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateTest {
  @ParameterizedTest
  @CsvSource({
      "/health, OPEN", "/static/app.js, OPEN", "/static/, OPEN",
      "/login, SIGN_IN", "/metrics, METRICS", "/metrics/x, METRICS",
      "/api/v1/instances, API", "/api, API", "/api/v2/x, API",
      "/health/, OPEN", "/, PAGE", "/static, PAGE", "/staticx/app.js, PAGE", "/health//, PAGE", "/healthz, PAGE", "/healthz/, PAGE", "/login/, PAGE", "/loginx, PAGE",
      "/metricsx, PAGE", "/Static/app.js, PAGE", "/API/v1/instances, PAGE", "/apiv1, PAGE", "/error, PAGE", "/WEB-INF/web.xml, PAGE",
      "/backups/1/download, PAGE", "/nothing-here, PAGE"})
  void opensOnlyTheListedPathsAndGuardsEverythingElse(String path, Gate expected) {
    assertThat(Gate.of(path)).as(path).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"/api/v1/instances, true", "/api/v1, true", "/api/v1x, false", "/api/v2/instances, false", "/api, false"})
  void theApiTokenOpensOnlyTheVersionedApi(String path, boolean expected) {
    assertThat(Gate.takesApiToken(path)).isEqualTo(expected);
  }
}
