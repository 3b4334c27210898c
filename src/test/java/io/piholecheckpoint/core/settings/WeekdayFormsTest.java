package io.piholecheckpoint.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.TestInstances;
import java.time.DayOfWeek;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A weekly schedule's day, through the form (the page and the API): the forms PIHOLE_<P>_DAY takes, no more and no fewer. */
class WeekdayFormsTest {

  private static InstanceForm weekly(String day) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm("Home", "http://pi.hole", "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(), "weekly", "04:00",
        day, null, b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
  }

  @ParameterizedTest
  @CsvSource({"monday, MONDAY", "MONDAY, MONDAY", "Mon, MONDAY", "mon, MONDAY", "1, MONDAY", "tues, TUESDAY", "7, SUNDAY", "' sun ', SUNDAY"})
  void theFormTakesEveryFormTheVariableTakes(String day, DayOfWeek read) {
    assertThat(weekly(day).validate(TestInstances.fireTimes()).settings().schedule().day()).isEqualTo(read);
    assertThat(InstanceSettings.DAY.read(day)).as("as PIHOLE_<P>_DAY reads it").contains(read);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "8", "mo", "someday", ""})
  void anyOtherIsRefusedListingTheForms(String day) {
    assertThatThrownBy(() -> weekly(day).validate(TestInstances.fireTimes())).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).containsOnlyKeys("day").extractingByKey("day").asString()
            .contains("monday … sunday, mon … sun, or 1 … 7 (1 = Monday)"));
  }
}
