package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RunningApp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** entrypoint.sh with a PORT or BIND_ADDRESS it cannot use: one line that names it, no stack trace. */
class ListenSettingsIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"PORT|abc|must be a whole number from 0 to 65535", "PORT|65536|must be a whole number from 0 to 65535",
      "PORT|-1|must be a whole number from 0 to 65535", "BIND_ADDRESS|999.1.1.1|is neither an IP address nor a host name"})
  void aBadListenSettingIsAConfigurationErrorNamingIt(String name, String value, String why) throws Exception {
    RunningApp.Exit exit = RunningApp.runToExit("serve", dir.resolve("data"), dir.resolve("backups"), Map.of(name, value));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("Configuration error: " + name + "='" + value + "' " + why)
        .doesNotContain("logged above", "Exception").doesNotContainPattern("\\n\\s+at [a-z]+\\.");
  }

  @Test
  void aPortInUseIsNamedWithWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      RunningApp.Exit exit = RunningApp.runToExit("run", dir.resolve("data"), dir.resolve("backups"),
          Map.of("PORT", Integer.toString(taken.getLocalPort())));

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("did not start: cannot listen on 127.0.0.1:" + taken.getLocalPort(), "set PORT or BIND_ADDRESS")
          .doesNotContain("logged above")
          .as("the web app (its scheduler, its catch-up runs) never started").doesNotContainPattern("Pi-hole Checkpoint \\S+ started:");
    }
  }
}
