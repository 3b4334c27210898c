package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

  /** An instance's timeout is whole seconds and reads as it always did; a shorter one is not rounded to "0 s". */
  @ParameterizedTest
  @CsvSource({"10000, 10 s", "1000, 1 s", "1500, 1.5 s", "500, 0.5 s", "250, 0.25 s"})
  void timeoutsAreSaidInSecondsWithTheirFractionOnlyWhereThereIsOne(long millis, String said) {
    assertThat(Errors.seconds(Duration.ofMillis(millis))).isEqualTo(said);
  }

  private static final PiholeTarget HOME = new PiholeTarget("Home", "http://pi.lan", "PIHOLE_HOME_", Optional.of("s3cret-pw"), Optional.empty(),
      TlsTrust.SYSTEM, Duration.ofSeconds(10), Set.of());

  /** Outsider 34: a 400 to an import lost FTL's hint, which is what says what was wrong with the archive. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"error\":{\"key\":\"bad_request\",\"message\":\"Invalid file\",\"hint\":\"The uploaded file does not appear to be a valid Pi-hole Teleporter archive\"}}"
          + " | (\"Invalid file\"; hint: \"The uploaded file does not appear to be a valid Pi-hole Teleporter archive\")",
      "{\"error\":{\"key\":\"bad_request\",\"message\":\"No ZIP archive received\",\"hint\":null}} | (\"No ZIP archive received\")",
      "{\"error\":{\"key\":\"bad_request\",\"hint\":\"only a hint\"}} | (hint: \"only a hint\")",
      "{\"error\":{\"key\":\"bad_request\",\"message\":\"echo s3cret-pw\",\"hint\":\"x\"}} | (\"(left out: it quoted a secret)\"; hint: \"x\")"})
  void anUnexpectedAnswerQuotesThePiholesMessageAndHint(String body, String quoted) throws Exception {
    var e = Errors.unexpected(HOME, "Teleporter import", 400, new ObjectMapper().readTree(body));

    assertThat(e.getMessage()).contains("Pi-hole 'Home' answered the Teleporter import with HTTP 400 " + quoted).doesNotContain("s3cret-pw");
  }

  @org.junit.jupiter.api.Test
  void aLongHintIsCut() throws Exception {
    String hint = "x".repeat(1000);

    String says = Errors.says(HOME, new ObjectMapper().readTree("{\"error\":{\"message\":\"m\",\"hint\":\"" + hint + "\"}}"));

    assertThat(says).hasSizeLessThan(400).endsWith("…\")");
  }
}
