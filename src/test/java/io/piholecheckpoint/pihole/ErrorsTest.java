package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

  /** An instance's timeout is whole seconds and reads as it always did; a shorter one is not rounded to "0 s". */
  @ParameterizedTest
  @CsvSource({"10000, 10 s", "1000, 1 s", "1500, 1.5 s", "500, 0.5 s", "250, 0.25 s"})
  void timeoutsAreSaidInSecondsWithTheirFractionOnlyWhereThereIsOne(long millis, String said) {
    assertThat(Errors.seconds(Duration.ofMillis(millis))).isEqualTo(said);
  }
}
