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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each refusal of {@code POST /api/auth} that pihole-api.md documents, and a 403 it does not, gets its own message. */
class LoginRefusalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PiholeTarget HOME = new PiholeTarget("Home", "http://pi.lan", "PIHOLE_HOME_", Optional.of("s3cret-pw"), Optional.empty(),
      TlsTrust.SYSTEM, Duration.ofSeconds(10), Set.of());

  static Stream<Arguments> documentedShapes() {
    return Stream.of(
        Arguments.of(401, "{\"session\":{\"valid\":false,\"totp\":false,\"sid\":null,\"validity\":-1,\"message\":\"password incorrect\"}}",
            LoginRefusal.WRONG_PASSWORD, Failure.WRONG_PASSWORD, new String[] {"wrong password", "PIHOLE_HOME_PASSWORD"}),
        Arguments.of(400, "{\"error\":{\"key\":\"bad_request\",\"message\":\"No 2FA token found in JSON payload\",\"hint\":null}}",
            LoginRefusal.NO_TOTP_SENT, Failure.TWO_FACTOR, new String[] {"two-factor authentication on", "PIHOLE_HOME_TOTP_SECRET"}),
        Arguments.of(401, "{\"error\":{\"key\":\"unauthorized\",\"message\":\"Invalid 2FA token\",\"hint\":null}}",
            LoginRefusal.INVALID_CODE, Failure.TWO_FACTOR, new String[] {"refused the two-factor code", "clock"}),
        Arguments.of(401, "{\"error\":{\"key\":\"unauthorized\",\"message\":\"Reused 2FA token\",\"hint\":\"wait for new token\"}}",
            LoginRefusal.REUSED_CODE, Failure.TWO_FACTOR, new String[] {"already used", "same secret"}),
        Arguments.of(429, "{\"error\":{\"key\":\"rate_limiting\",\"message\":\"Rate-limiting login attempts\",\"hint\":null}}",
            LoginRefusal.RATE_LIMITED, Failure.RATE_LIMITED, new String[] {"refusing logins as too frequent", "three passwords a second"}),
        Arguments.of(429, "{\"error\":{\"key\":\"rate_limiting\",\"message\":\"Rate-limiting 2FA token requests, try again later\",\"hint\":null}}",
            LoginRefusal.TOTP_RATE_LIMITED, Failure.RATE_LIMITED, new String[] {"two-factor codes as too frequent", "one a second"}),
        Arguments.of(429, "{\"error\":{\"key\":\"api_seats_exceeded\",\"message\":\"API seats exceeded\",\"hint\":\"increase webserver.api.max_sessions\"}}",
            LoginRefusal.NO_FREE_SEATS, Failure.NO_FREE_SEATS, new String[] {"no free API sessions", "webserver.api.max_sessions"}),
        Arguments.of(403, "{\"error\":{\"key\":\"forbidden\",\"message\":\"Access denied\",\"hint\":\"client not in webserver.acl\"}}",
            LoginRefusal.FORBIDDEN, Failure.SERVER_ERROR, new String[] {"HTTP 403", "not a wrong password", "not an app password's limit",
                "\"Access denied\"; hint: \"client not in webserver.acl\"", "proxy"}),
        Arguments.of(403, "<html>Forbidden</html>", LoginRefusal.FORBIDDEN, Failure.SERVER_ERROR, new String[] {"HTTP 403 Forbidden.", "proxy"}));
  }

  @ParameterizedTest
  @MethodSource("documentedShapes")
  void eachShapeHasItsOwnMessage(int status, String body, LoginRefusal refusal, Failure failure, String[] says) {
    JsonNode answer = parse(body);

    PiholeException e = LoginRefusal.of(status, answer).failure(HOME, "http://pi.lan", status, answer);

    assertThat(LoginRefusal.of(status, answer)).isEqualTo(refusal);
    assertThat(e.failure()).isEqualTo(failure);
    assertThat(e.getMessage()).contains("'Home'").contains(says).doesNotContain("s3cret-pw");
    assertThat(e.getMessage()).as("a restore or a Test refused so is not run again: what follows is the action's to say")
        .doesNotContain("next run");
    if (refusal != LoginRefusal.NO_TOTP_SENT) {
      assertThat(e.getMessage()).as("only a Pi-hole asking for 2FA is answered with app-password advice").doesNotContain("app password,");
    }
  }

  @ParameterizedTest
  @MethodSource("documentedShapes")
  void noTwoShapesShareAMessage(int status, String body) {
    JsonNode answer = parse(body);
    String message = LoginRefusal.of(status, answer).failure(HOME, "http://pi.lan", status, answer).getMessage();

    long same = documentedShapes().map(Arguments::get)
        .filter(args -> LoginRefusal.of((int) args[0], parse((String) args[1])) != LoginRefusal.of(status, answer))
        .map(args -> LoginRefusal.of((int) args[0], parse((String) args[1])).failure(HOME, "http://pi.lan", (int) args[0], parse((String) args[1])).getMessage())
        .filter(message::equals).count();
    assertThat(same).isZero();
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }
}
