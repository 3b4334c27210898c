package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.testing.UnitRunTries;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.testing.TestInstances;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever is typed into the cron field, the one validator either accepts it (and then the
 * scheduler can compute when it fires) or names the field with a reason: it never throws
 * anything else, which the web layer would answer with a 500; and the reason is in words, never an exception's text.
 */
@AddLifecycleHook(UnitRunTries.class)
class CronValidationPropertyTest {
  private static final FireTimes QUARTZ = TestInstances.fireTimes();

  @Property(tries = 500)
  void anyCronIsAcceptedAndFiresOrRefusedWithAReason(@ForAll("crons") String cron) {
    InstanceForm b = InstanceForm.blank();
    InstanceForm form = new InstanceForm("Home", "http://pi.hole", "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(),
        "cron", b.time(), b.day(), cron, b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
    try {
      InstanceForm.Valid valid = form.validate(QUARTZ);
      assertThat(QUARTZ.next(valid.settings().schedule())).isPresent();
    } catch (ValidationException e) {
      assertThat(e.fieldErrors()).containsOnlyKeys("cron").extractingByKey("cron").asString().isNotBlank()
          .as("said in words, not in a Java exception's").doesNotContain("Exception").doesNotContain("java.");
    }
  }

  /** Five to seven fields of cron-ish tokens, plus stray words and macros. */
  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("*", "?", "L", "W", "#", "-", "/", ",", "LW", "L-3", "15W", "6#3", "6L", "MON", "jan", "SUN-SAT", "*/0", "*/99", "0-0/9",
            "99", "-1", "00", "007", "1,,2", "5-1", "@daily", "@reboot", "2099", "1970", "1-X", "MON-FRI/2#2", "6L/2", "15W/2",
            "L-3/2", "?/2", "2#2,6", "1-7/9", "99999999999"),
        Arbitraries.integers().between(0, 80).map(Object::toString),
        Arbitraries.integers().between(0, 60).flatMap(a -> Arbitraries.integers().between(0, 60).map(b -> a + "-" + b)),
        Arbitraries.integers().between(1, 60).map(s -> "*/" + s),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(4));
    return Arbitraries.oneOf(
        token.list().ofMinSize(1).ofMaxSize(8).map(t -> String.join(" ", t)),
        Arbitraries.of("@daily", "@hourly", "@weekly", "@monthly", "@yearly", "@annually", "@midnight", "@reboot", "@DAILY", "@", "@ daily"));
  }
}
