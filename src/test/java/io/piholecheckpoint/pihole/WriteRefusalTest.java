package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Outsider 34: a 403 to a session opened with the password was explained as an app-password session's. */
class WriteRefusalTest {
  private static final PiholeTarget HOME = new PiholeTarget("Home", "http://pi.lan", "PIHOLE_HOME_", Optional.of("s3cret-pw"), Optional.empty(),
      TlsTrust.SYSTEM, Duration.ofSeconds(10), Set.of());

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "password               | its password",
      "password and 2FA code  | its password and 2FA code",
      "no password            | no password (the Pi-hole has none set)"})
  void aForbiddenChangeOfAPasswordSessionIsNotBlamedOnAppSudo(String authentication, String loggedInWith) throws Exception {
    JsonNode answer = new ObjectMapper().readTree("{\"error\":{\"key\":\"forbidden\",\"message\":\"Forbidden\",\"hint\":\"by the proxy\"}}");

    PiholeException e = WriteRefusal.forbidden(HOME, authentication, "the restore", answer);

    assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR);
    assertThat(e.getMessage()).contains("Pi-hole 'Home' refused the restore with HTTP 403 Forbidden (\"Forbidden\"; hint: \"by the proxy\")")
        .contains("logged in with " + loggedInWith + ", not an app password").contains("proxy in front")
        .doesNotContain("app_sudo=true").doesNotContain("this app-password session");
  }

  @ParameterizedTest
  @CsvSource({"the restore", "a settings change"})
  void aForbiddenChangeOfAnAppPasswordSessionAsksForAppSudo(String what) throws Exception {
    JsonNode answer = new ObjectMapper().readTree("{\"error\":{\"key\":\"forbidden\",\"message\":\"Unable to change configuration (read-only)\","
        + "\"hint\":\"The current app session is not allowed to modify Pi-hole config settings (webserver.api.app_sudo is false)\"}}");

    PiholeException e = WriteRefusal.forbidden(HOME, "app password", what, answer);

    assertThat(e.failure()).isEqualTo(Failure.READ_ONLY);
    assertThat(e.getMessage()).contains("Pi-hole 'Home' refused " + what + ": this app-password session is read-only")
        .contains("webserver.api.app_sudo=true");
  }
}
