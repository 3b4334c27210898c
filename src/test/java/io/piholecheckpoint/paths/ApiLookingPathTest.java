package io.piholecheckpoint.paths;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Moved from RequestPathTest with the reading itself, which the launcher's error handler shares. */
class ApiLookingPathTest {
  /** Refused paths a client meant for the API: refused in the API's JSON (round 30: "..;" and overlong UTF-8 read as page paths). */
  @ParameterizedTest
  @ValueSource(strings = {"/health/..;/api/v1/instances", "/static/..;x=1/api/v1/instances", "/static/%c0%ae%c0%ae/api/v1/instances",
      "/static/%C0%AE%C0%AE%C0%AFapi/v1/instances", "/static/%e0%80%ae%e0%80%ae/api/v1/instances", "/static/%252e%252e/api/v1/instances"})
  void readsAsTheApiOnceParametersAndOverlongEncodingsAreResolved(String raw) {
    assertThat(ApiLookingPath.apiLooking(raw)).as(raw).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health/..;/instances", "/static/%c0%ae%c0%ae/instances", "/api/..;/instances", "/api/%c0%ae%c0%ae/instances",
      "/static/%c0%aeapi/v1/instances"})
  void doesNotReadAsTheApiWhatResolvesElsewhere(String raw) {
    assertThat(ApiLookingPath.apiLooking(raw)).as(raw).isFalse();
  }
}
