package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SCHEDULE_SPREAD: from none (0, 0m or none, the default) to 7 days; anything else is refused naming that range. */
class ScheduleSpreadTest {
  @ParameterizedTest
  @CsvSource({"0, PT0S", "none, PT0S", "0m, PT0S", "0h, PT0S", "30m, PT30M", "7d, PT168H", "PT6H, PT6H"})
  void takesNoneToSevenDays(String value, String window) {
    assertThat(AppConfig.from(Map.of("SCHEDULE_SPREAD", value)).scheduleSpread().window()).isEqualTo(Duration.parse(window));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8d", "7d1m", "-5m", "soon", "3651d"})
  void refusesAnythingElseNamingTheRange(String value) {
    assertThatThrownBy(() -> AppConfig.from(Map.of("SCHEDULE_SPREAD", value)).scheduleSpread()).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessage("SCHEDULE_SPREAD='" + value + "' must be from 0 (none) to 7d, e.g. 30m");
  }
}
