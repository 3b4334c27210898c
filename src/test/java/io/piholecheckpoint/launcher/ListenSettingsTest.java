package io.piholecheckpoint.launcher;

import io.piholecheckpoint.listen.ListenSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PORT, BIND_ADDRESS and HTTP_IDLE_TIMEOUT_SECONDS as the launcher reads them, and the line that ends a start that failed. */
class ListenSettingsTest {
  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void unsetOrBlankTheDefaultsAreUsed() {
    assertThat(ListenSettings.from(env())).isEqualTo(new ListenSettings("0.0.0.0", 8000, ListenSettings.DEFAULT_IDLE_TIMEOUT));
    assertThat(ListenSettings.from(env("PORT", " ", "BIND_ADDRESS", ""))).isEqualTo(new ListenSettings("0.0.0.0", 8000, ListenSettings.DEFAULT_IDLE_TIMEOUT));
  }

  @Test
  void aPortAndAnAddressOfThisMachineAreTakenAsGiven() {
    assertThat(ListenSettings.from(env("PORT", " 0 ", "BIND_ADDRESS", "127.0.0.1"))).isEqualTo(new ListenSettings("127.0.0.1", 0, ListenSettings.DEFAULT_IDLE_TIMEOUT));
    assertThat(ListenSettings.from(env("PORT", "65535", "BIND_ADDRESS", "::"))).isEqualTo(new ListenSettings("::", 65535, ListenSettings.DEFAULT_IDLE_TIMEOUT));
  }

  @ParameterizedTest
  @CsvSource({"abc", "65536", "-1", "80.5", "99999999999"})
  void aPortThatIsNotOneIsNamedWithWhatItTakes(String port) {
    assertThatThrownBy(() -> ListenSettings.from(env("PORT", port)))
        .isInstanceOf(ListenSettings.Invalid.class)
        .hasMessage("PORT='" + port + "' must be a whole number from 0 to 65535 (the HTTP port; 0 takes any free one), e.g. 8000");
  }

  @Test
  void theIdleTimeoutIsJettysThirtySecondsUnlessSet() {
    assertThat(ListenSettings.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    assertThat(ListenSettings.from(env("HTTP_IDLE_TIMEOUT_SECONDS", " 5 ")).idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ListenSettings.idleTimeoutIn(env("HTTP_IDLE_TIMEOUT_SECONDS", "3600"))).isEqualTo(Duration.ofHours(1));
    assertThat(ListenSettings.idleTimeoutIn(env())).isEqualTo(Duration.ofSeconds(30));
    assertThat(BodyReadingLimit.maxWait(ListenSettings.DEFAULT_IDLE_TIMEOUT)).as("a body's wait for its turn, as before the setting").isEqualTo(Duration.ofSeconds(20));
  }

  @ParameterizedTest
  @CsvSource({"0", "3601", "abc", "1.5"})
  void anIdleTimeoutOutOfRangeIsNamedWithWhatItTakes(String seconds) {
    String message = "HTTP_IDLE_TIMEOUT_SECONDS='" + seconds + "' must be a whole number from 1 to 3600 (seconds a connection may say nothing), e.g. 30";
    assertThatThrownBy(() -> ListenSettings.from(env("HTTP_IDLE_TIMEOUT_SECONDS", seconds))).isInstanceOf(ListenSettings.Invalid.class).hasMessage(message);
    assertThatThrownBy(() -> ListenSettings.idleTimeoutIn(env("HTTP_IDLE_TIMEOUT_SECONDS", seconds))).isInstanceOf(ListenSettings.Invalid.class).hasMessage(message);
  }

  @Test
  void anAddressThatIsNoneIsNamedWithWhatToSet() {
    assertThatThrownBy(() -> ListenSettings.from(env("BIND_ADDRESS", "999.1.1.1")))
        .isInstanceOf(ListenSettings.Invalid.class)
        .hasMessageStartingWith("BIND_ADDRESS='999.1.1.1' is neither an IP address nor a host name this machine can resolve")
        .hasMessageContaining("use 0.0.0.0 (every address of this machine), 127.0.0.1");
  }

  @Test
  void anAddressOfAnotherMachineIsNamed() {
    // TEST-NET-3 (RFC 5737): never an address of this machine
    assertThatThrownBy(() -> ListenSettings.from(env("BIND_ADDRESS", "203.0.113.7")))
        .hasMessageStartingWith("BIND_ADDRESS='203.0.113.7' (203.0.113.7) is not an address of this machine");
  }

  @Test
  void bothBadAreNamedAtOnceInTheWebAppsFormat() {
    assertThatThrownBy(() -> ListenSettings.from(env("PORT", "abc", "BIND_ADDRESS", "999.1.1.1\n")))
        .hasMessageStartingWith("2 settings cannot be used; fix them all before the next start: (1) PORT='abc' must be a whole number")
        .hasMessageContaining(" (2) BIND_ADDRESS='999.1.1.1' is neither");
    assertThatThrownBy(() -> ListenSettings.from(env("PORT", "8000\n x")))
        .hasMessageStartingWith("PORT='8000\\u000a x' must be");
  }

  @Test
  void aPortInUseIsNamedWithWhatToDo() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); ServerSocket second = new ServerSocket()) {
      IOException refused = null;
      try {
        second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()));
      } catch (IOException e) {
        refused = new IOException("Failed to bind to /127.0.0.1:" + taken.getLocalPort(), e); // as Jetty's connector wraps it
      }

      assertThat(Launcher.notStarted(new ListenSettings("127.0.0.1", taken.getLocalPort(), ListenSettings.DEFAULT_IDLE_TIMEOUT), refused))
          .startsWith("Pi-hole Checkpoint did not start: cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .endsWith("stop what uses the port, or set PORT or BIND_ADDRESS");
    }
  }

  @Test
  void anyOtherFailureSaysItsReasonInTheLine() {
    Exception failed = new IllegalStateException("the context did not start", new IllegalArgumentException("bad\nvalue"));

    assertThat(Launcher.notStarted(new ListenSettings("0.0.0.0", 8000, ListenSettings.DEFAULT_IDLE_TIMEOUT), failed))
        .isEqualTo("Pi-hole Checkpoint did not start: the context did not start: bad value");
    assertThat(Launcher.notStarted(new ListenSettings("0.0.0.0", 8000, ListenSettings.DEFAULT_IDLE_TIMEOUT), new NullPointerException()))
        .isEqualTo("Pi-hole Checkpoint did not start: NullPointerException");
  }
}
