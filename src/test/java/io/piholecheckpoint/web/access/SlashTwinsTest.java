package io.piholecheckpoint.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.api.HealthServlet;
import io.piholecheckpoint.web.api.InstancesApiServlet;
import io.piholecheckpoint.web.api.MetricsServlet;
import io.piholecheckpoint.web.page.BackupsServlet;
import io.piholecheckpoint.web.page.DashboardServlet;
import io.piholecheckpoint.web.page.InstancesPageServlet;
import io.piholecheckpoint.web.page.SettingsServlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlashTwinsTest {
  private final Routes routes = Routes.of(DashboardServlet.ROUTES, InstancesPageServlet.ROUTES, BackupsServlet.ROUTES, SettingsServlet.ROUTES,
      SignInServlet.ROUTES, SignOutServlet.ROUTES, HealthServlet.ROUTES, MetricsServlet.ROUTES, InstancesApiServlet.ROUTES);

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      "GET, /instances/1/, -, /instances/1",
      "HEAD, /instances/1/, -, /instances/1",
      "GET, /settings/, -, /settings",
      "GET, /login/, next=/settings, /login?next=/settings",
      "POST, /login/, -, /login",
      "GET, /backups/7/download/, -, /backups/7/download",
      "GET, /instances/1/edit/, a=1&b=2, /instances/1/edit?a=1&b=2",
      "POST, /instances/1/delete/, -, /instances/1/delete"})
  void redirectsAPagesTwinToTheAddressWithItsQuery(String method, String path, String query, String expected) {
    assertThat(SlashTwins.redirect(method, path, query, routes)).as(method + " " + path).hasValue(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /health/", "GET, /metrics/", "GET, /api/v1/instances/", "POST, /api/v1/instances/",
      "GET, /instances/", "DELETE, /settings/", "OPTIONS, /settings/", "GET, /nothing/", "GET, /", "GET, /settings",
      "GET, /instances/x/", "GET, /static/app.css/", "GET, //evil.example/", "GET, /\\evil.example/"})
  void leavesEverythingElseAlone(String method, String path) {
    assertThat(SlashTwins.redirect(method, path, null, routes)).as(method + " " + path).isEmpty();
  }

  @Test
  void getAndHeadAreMovedPermanentlyOthersKeepTheirMethod() {
    assertThat(SlashTwins.status("GET")).isEqualTo(301);
    assertThat(SlashTwins.status("HEAD")).isEqualTo(301);
    assertThat(SlashTwins.status("POST")).isEqualTo(308);
  }

  @ParameterizedTest
  @CsvSource({"/health/, /health", "/metrics/, /metrics", "/health, /health", "/health//, /health//", "/login/, /login/", "/, /"})
  void monitorsTwinsAreTheirAddresses(String path, String expected) {
    assertThat(SlashTwins.monitorAddress(path)).isEqualTo(expected);
  }
}
