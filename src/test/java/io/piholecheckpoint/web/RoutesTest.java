package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private final Routes routes = Routes.of(List.of("GET /", "GET /static/**", "POST /instances", "GET /instances/new", "GET, POST /instances/{id}"),
      List.of("GET, DELETE /api/v1/backups/{id}", "POST /api/v1/backups/{id}/pin", "GET /api/v1/jobs/{name}"));

  @Test
  void anAddressAcceptsWhatItsRoutesSayWithHeadAndOptionsNeverTrace() {
    assertThat(routes.allow("/")).hasValue("GET, HEAD, OPTIONS");
    assertThat(routes.allow("/api/v1/backups/12")).hasValue("GET, HEAD, DELETE, OPTIONS");
    assertThat(routes.allow("/api/v1/backups/12/pin")).hasValue("POST, OPTIONS");
    assertThat(routes.allow("/instances")).hasValue("POST, OPTIONS");
    assertThat(routes.allow("/instances/7")).hasValue("GET, HEAD, POST, OPTIONS");
    assertThat(routes.allow("/instances/new")).hasValue("GET, HEAD, OPTIONS");
    assertThat(routes.allow("/api/v1/jobs/0b8f-4c")).hasValue("GET, HEAD, OPTIONS");
    assertThat(routes.allow("/static/css/app.css")).hasValue("GET, HEAD, OPTIONS");
  }

  @Test
  void anAddressNoRouteServesHasNone() {
    assertThat(routes.allow("/api/v1/backups/x")).as("ids are numbers").isEmpty();
    assertThat(routes.allow("/api/v1/backups/12/nothing")).isEmpty();
    assertThat(routes.allow("/api/v1/backups")).isEmpty();
    assertThat(routes.allow("/static/")).as("the folder itself").isEmpty();
    assertThat(routes.allow("/nothing")).isEmpty();
  }

  @Test
  void aRouteNamesOnlyMethodsThatCarryMeaning() {
    assertThatThrownBy(() -> Routes.of(List.of("TRACE /x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Routes.of(List.of("GET, OPTIONS /x"))).isInstanceOf(IllegalArgumentException.class);
  }
}
