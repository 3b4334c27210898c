package io.piholecheckpoint.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.testing.TestInstances;
import java.time.DayOfWeek;
import java.time.LocalTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Crontab's form as people copy it, and the Quartz expression it becomes. */
class QuartzCronTest {

  private static Schedule cron(String expression) {
    return new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, expression);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "30 2 * * *        | 0 30 2 * * ?",
      "*/15 * * * *      | 0 0,15,30,45 * * * ?",
      "0 3 * * 1-5       | 0 0 3 ? * 2,3,4,5,6",
      "0 3 * * 0         | 0 0 3 ? * 1",
      "0 3 * * 7         | 0 0 3 ? * 1",
      "0 3 * * 5-7       | 0 0 3 ? * 1,6,7",
      "0 3 * * 0-6       | 0 0 3 ? * *",
      "0 3 * * mon-FRI   | 0 0 3 ? * 2,3,4,5,6",
      "0 3 * * SUN       | 0 0 3 ? * 1",
      "0 4 1,15 * *      | 0 0 4 1,15 * ?",
      "0 4 * JAN-MAR *   | 0 0 4 * 1,2,3 ?",
      "0 0-12/6 * * *    | 0 0 0,6,12 * * ?",
      "'  30 2 * * *  '  | 0 30 2 * * ?",
      "@daily            | 0 0 0 * * ?",
      "@hourly           | 0 0 * * * ?",
      "@weekly           | 0 0 0 ? * 1",
      "@monthly          | 0 0 0 1 * ?",
      "@YEARLY           | 0 0 0 1 1 ?",
      "0 30 2 * * ?      | 0 30 2 * * ?",
      "0 0 12 ? * 6#3 *  | 0 0 12 ? * 6#3 *"})
  void translatesCrontabAndKeepsQuartz(String written, String quartz) {
    assertThat(cron(written).cronExpression()).isEqualTo(quartz);
  }

  /** Quartz's words in crontab's five fields: the seconds were left out, so Quartz's form is what to write (outsider round 44). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "30 2 L * *      | day of month field 'L'", "30 2 15W * *    | day of month field '15W'",
      "30 2 * * 5L     | day of week field '5L'", "30 2 * * MON#2  | day of week field 'MON#2'",
      "30 2 ? * 1      | day of month field '?'", "30 2 * * FRIL   | day of week field 'FRIL'"})
  void quartzWordsInFiveFieldsPointToQuartzsForm(String written, String field) {
    assertThatThrownBy(() -> cron(written).cronExpression()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field).hasMessageContaining("write Quartz's form, seconds first").hasMessageNotContaining("either matches");
  }

  @ParameterizedTest
  @ValueSource(strings = {"30 2 */0 * *", "*/00 * * * *", "0 0-12/0 * * *"})
  void aStepOfZeroInFiveFieldsSaysItRepeatsNothing(String written) {
    assertThatThrownBy(() -> cron(written).cronExpression()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps by 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 3 1 * 1", "0 3 */2 * MON", "0 3 1-31 * 0-6"})
  void refusesToRestrictBothDaysBecauseQuartzCannotOrThem(String written) {
    assertThatThrownBy(() -> cron(written).cronExpression()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("either matches").hasMessageContaining("put * in one of them");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "60 * * * *     | minute field '60' is not valid: 60 is outside 0-59",
      "* 24 * * *     | hour field '24' is not valid",
      "* * 0 * *      | day of month field '0' is not valid",
      "* * * 13 *     | month field '13' is not valid",
      "* * * * 8      | day of week field '8' is not valid",
      "* * * * FOO    | 'FOO' is not a number or a name",
      "5-1 * * * *    | runs backwards",
      "5/10 * * * *   | a step needs * or a range before it",
      "*/0 * * * *    | minute field '*/0' is not valid: it steps by 0, which repeats nothing",
      "0/0 * * * * ?  | '0/0' steps by 0, which repeats nothing",
      "0 0 3/00,5 * * ? | '3/00,5' steps by 0",
      "0 0 3 ? * 2/0 2026 | '2/0' steps by 0",
      "1,,2 * * * *   | '' is not a value",
      "? * * * *      | minute field '?' is not valid: L, W, # and ? are Quartz's",
      "L * * * *      | minute field 'L' is not valid: L, W, # and ? are Quartz's",
      "* * L * *      | day of month field 'L' is not valid: L, W, # and ? are Quartz's",
      "* * * * 1#2    | day of week field '1#2' is not valid: L, W, # and ? are Quartz's",
      "* * * *        | it has 4 fields",
      "@reboot        | '@reboot' is not a schedule this app knows"})
  void explainsWhatIsWrong(String written, String message) {
    assertThatThrownBy(() -> cron(written).cronExpression()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"@reboot", "* * * *", "0 0 3 * * ? 2027 x", "0 0 3 ? * FOO"})
  void theValidatorNamesBothFormsUnlessCrontabsFiveFieldsWereGiven(String written) {
    assertThat(InstanceRules.schedule(cron(written), TestInstances.fireTimes())).get().asString()
        .startsWith("The cron expression '" + written + "' cannot be used: ").contains("30 2 * * *").contains("seconds first");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "60 * * * *      | its minute field '60' is not valid: 60 is outside 0-59",
      "0 3 1 * 1       | put * in one of them",
      "* * * * FOO     | 'FOO' is not a number or a name"})
  void theValidatorGivesTheReasonAloneWhenCrontabsFiveFieldsWereGiven(String written, String reason) {
    assertThat(InstanceRules.schedule(cron(written), TestInstances.fireTimes())).get().asString()
        .startsWith("The cron expression '" + written + "' cannot be used: ").contains(reason).doesNotContain("enter 5 fields");
  }

  /** Quartz's parser drops the step after a name (MON-FRI/2 ran every weekday, JAN/4 once a year): names reach it as numbers. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 0 0 ? * SUN-SAT/3   | 0 0 0 ? * 1-7/3",
      "0 0 0 ? * MON-FRI/2   | 0 0 0 ? * 2-6/2",
      "0 * * ? * mon-Sat/2   | 0 * * ? * 2-7/2",
      "0 0 0 1 JAN-DEC/4 ?   | 0 0 0 1 1-12/4 ?",
      "0 0 0 1 JAN/4 ?       | 0 0 0 1 1/4 ?",
      "0 0 0 ? NOV-FEB FRI-MON | 0 0 0 ? 11-2 6-2",
      "0 0 0 ? * FRIL        | 0 0 0 ? * 6L",
      "0 0 0 ? * fri#2       | 0 0 0 ? * 6#2",
      "0 0 0 L * ?           | 0 0 0 L * ?",
      "0 0 0 ? * 6L 2027     | 0 0 0 ? * 6L 2027"})
  void quartzNamesBecomeNumbers(String written, String quartz) {
    assertThat(cron(written).cronExpression()).isEqualTo(quartz);
  }

  /**
   * Quartz reads these up to where it understands them and drops the rest without a word (measured with Quartz 2.5.2: 2-6/2#2
   * ran as 2-6/2, 6L/2 as 6L, 15W/2 as 15W, 2#2,6 as 2#2, 1-7/9 as Sundays), or fails with a Java exception's text (1-X): each is
   * refused, naming the field, what is not allowed and what is.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 0 0 ? * MON-FRI/2#2 | its day-of-week field 'MON-FRI/2#2' is not valid: dL (the month's last such weekday) and d#n",
      "0 0 0 ? * MONL/2      | its day-of-week field 'MONL/2' is not valid: dL",
      "0 0 0 ? * 2-6/2#2     | its day-of-week field '2-6/2#2' is not valid: dL",
      "0 0 0 ? * 6L/2        | its day-of-week field '6L/2' is not valid: dL",
      "0 0 0 ? * MON#2,FRI   | e.g. 0 0 3 ? * FRIL, 0 0 3 ? * FRI#3",
      "0 0 0 ? * 2#2#3       | its day-of-week field '2#2#3' is not valid",
      "0 0 0 ? * 6L,2        | its day-of-week field '6L,2' is not valid",
      "0 0 0 ? * 2#6         | #6 is not a week of the month",
      "0 0 0 L/2 * ?         | its day-of-month field 'L/2' is not valid: L (the last day of the month), L-n",
      "0 0 0 15W/2 * ?       | its day-of-month field '15W/2' is not valid: L (the last day",
      "0 0 0 LW/3 * ?        | its day-of-month field 'LW/3' is not valid",
      "0 0 0 L-3/2 * ?       | its day-of-month field 'L-3/2' is not valid",
      "0 0 0 1,L * ?         | e.g. 0 0 3 L * ?, 0 0 3 L-2 * ?, 0 0 3 15W * ?",
      "0 0 0 L-31 * ?        | L-31 counts back more than 30 days",
      "0 0 0 ?/2 * MON       | '?' (no particular day) stands alone",
      "0 0 0 ? * ?,MON       | '?' (no particular day) stands alone",
      "0 0 0 * * MON         | Quartz needs '?' (no particular day) in exactly one of them",
      "0 0 0 ? * ?           | Quartz needs '?' (no particular day) in exactly one of them",
      "0 0 0 ? L * ?         | its month field 'L' is not valid: L belongs in the two day fields, W in the day of month, # in the day of week only",
      "0 0 0 ? * 2W          | its day-of-week field '2W' is not valid: L belongs in the two day fields, W in the day of month",
      "0 0 0 ? * 1/9         | its day-of-week field '1/9' is not valid: a step after '/' is past its field's range",
      "0 0 0 ? * MON/8       | weekdays by 6",
      "0 0 0 ? * 1-7/9       | its day-of-week field '1-7/9' is not valid: a step after '/' is past its field's range",
      "0 0 0 ? * SUN-SAT/7   | weekdays by 6",
      "0 0 0 ? 1/12 *        | its month field '1/12' is not valid: a step",
      "0 0 0 ? * */7         | its day-of-week field '*/7' is not valid: a step",
      "0 0 0 */31 * ?        | days of the month by 30",
      "0 0 0 1-X * ?         | its day-of-month field '1-X' is not valid: '1-X' is not a number, a range a-b, or a step",
      "0 0 0 ? * MONDAY      | 'MONDAY' is not a number or a name (SUN-SAT)",
      "0 0 0 ? * 0           | 0 is outside 1-7",
      "0 0 0,12 15W * ?      | Quartz runs nW and LW at one of the day's times only",
      "0 0 0 ? * 1 2027-2026 | the range '2027-2026' runs backwards",
      "0 0 0 ? * 1 123456    | 123456 is outside 1970-99999"})
  void refusesWhatQuartzWouldReadOtherwiseNamingTheField(String written, String message) {
    assertThatThrownBy(() -> cron(written).cronExpression()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
        .hasMessageNotContaining("Exception").hasMessageNotContaining("java.");
  }

  /** What Quartz reads as written stays allowed, the specials alone in their field. */
  @ParameterizedTest
  @ValueSource(strings = {"0 0 3 L * ?", "0 0 3 L-2 * ?", "0 0 3 LW * ?", "0 0 3 15W * ?", "0 0 3 ? * FRIL", "0 0 3 ? * L", "0 0 3 ? * FRI#5",
      "0 0 3 ? * MON-FRI/2", "0 0 3 ? * 1/6", "0 0 3 */30 * ?", "0 0 3 ? JAN/11 *", "0 0/59 3 ? * *", "0 0 3 1 * ? 2026-2030/2", "0 0 3 ? * FRI-MON"})
  void acceptsWhatQuartzReadsAsWritten(String written) {
    assertThat(cron(written).cronExpression()).isNotBlank();
  }

  /** The API's cron of a daily, hourly or weekly schedule is the crontab line a user writes, and it fires as the schedule does. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"DAILY | 03:00 | MONDAY | 0 3 * * *", "HOURLY | 00:15 | MONDAY | 15 * * * *",
      "WEEKLY | 04:30 | FRIDAY | 30 4 * * FRI", "WEEKLY | 23:59 | SUNDAY | 59 23 * * SUN"})
  void aScheduleNotGivenAsCronIsWrittenInCrontabsFiveFields(Schedule.Kind kind, java.time.LocalTime time, java.time.DayOfWeek day, String crontab) {
    Schedule schedule = new Schedule(kind, time, day, null);

    assertThat(schedule.crontab()).isEqualTo(crontab);
    assertThat(cron(crontab).cronExpression()).as("the same fires as the schedule's own").isEqualTo(numberedDays(schedule.cronExpression()));
  }

  /** Quartz's day names as the numbers the translation writes (SUN = 1 … SAT = 7). */
  private static String numberedDays(String quartz) {
    String result = quartz;
    for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
      result = result.replace(day.getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ROOT).toUpperCase(java.util.Locale.ROOT),
          Integer.toString(day.getValue() % 7 + 1));
    }
    return result;
  }
}
