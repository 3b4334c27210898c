package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.web.access.SecurityHeadersFilter;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {
  @Test
  void jettysOwnAnswersCarryTheSameHeadersAsTheWebApps() {
    assertThat(SecurityHeaders.HEADERS).isEqualTo(SecurityHeadersFilter.HEADERS);
  }
}
