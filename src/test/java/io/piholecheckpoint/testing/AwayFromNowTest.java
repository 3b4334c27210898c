package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Instances a test adds through the API are kept away from the default 03:00 as env instances are, unless they set a schedule. */
class AwayFromNowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void anInstanceWithoutAScheduleOfItsOwnIsGivenADailyTimeTwelveHoursFromNowInTheAppsZone() throws Exception {
    String sent = AwayFromNow.apply("{\"name\":\"Home\",\"url\":\"http://127.0.0.1:9\"}", BERLIN);

    assertThat(JSON.readTree(sent).get("time").asText()).isEqualTo(AwayFromNow.time(BERLIN)).isNotEqualTo("03:00");
    assertThat(JSON.readTree(sent).get("name").asText()).isEqualTo("Home");
  }

  @Test
  void anInstanceThatSetsAnyScheduleFieldIsSentAsWritten() {
    for (String body : new String[] {"{\"name\":\"A\",\"time\":\"03:00\"}", "{\"name\":\"B\",\"scheduleKind\":\"hourly\"}",
        "{\"name\":\"C\",\"cron\":\"0 0 0 1 1 ?\"}", "{\"name\":\"D\",\"day\":\"friday\"}"}) {
      assertThat(AwayFromNow.apply(body, BERLIN)).isEqualTo(body);
    }
  }

  @Test
  void aBodyThatIsNoJsonObjectIsSentAsWritten() {
    for (String body : new String[] {"{not json", "[]", "\"name\"", ""}) {
      assertThat(AwayFromNow.apply(body, BERLIN)).isEqualTo(body);
    }
  }
}
