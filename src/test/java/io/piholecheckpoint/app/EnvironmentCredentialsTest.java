package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variable a secret is read from is the one advice names: the {@code _FILE} one wins when it is set. */
class EnvironmentCredentialsTest {
  private final PiholeInstance home = environmentInstance();

  private static PiholeInstance environmentInstance() {
    InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
    instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    return instances.list().get(0);
  }

  @Test
  void namesTheFileVariableWhenItIsSet() {
    EnvironmentCredentials credentials = new EnvironmentCredentials(Map.of("PIHOLE_HOME_PASSWORD", "pw",
        "PIHOLE_HOME_TOTP_SECRET_FILE", "/run/secrets/totp", "PIHOLE_HOME_TOTP_SECRET", "JBSWY3DPEHPK3PXP"));

    assertThat(credentials.variableOf(home, "PASSWORD")).isEqualTo("PIHOLE_HOME_PASSWORD");
    assertThat(credentials.variableOf(home, "TOTP_SECRET")).isEqualTo("PIHOLE_HOME_TOTP_SECRET_FILE");
  }

  @Test
  void aBlankFileVariableIsNotInUse() {
    EnvironmentCredentials credentials = new EnvironmentCredentials(Map.of("PIHOLE_HOME_PASSWORD_FILE", " "));

    assertThat(credentials.variableOf(home, "PASSWORD")).isEqualTo("PIHOLE_HOME_PASSWORD");
    assertThat(credentials.variableOf(home, "TOTP_SECRET")).as("none set: the plain one is where it goes").isEqualTo("PIHOLE_HOME_TOTP_SECRET");
  }

  /** Outsider round 44: the backup's error named the password's file alone, while the start's warning named both. */
  @Test
  void aSecretThatCannotBeReadFailsNamingEveryUnreadableFileOfThePihole(@TempDir Path dir) throws Exception {
    Path password = Files.createDirectory(dir.resolve("password"));
    Path totp = Files.createDirectory(dir.resolve("totp"));
    EnvironmentCredentials credentials = new EnvironmentCredentials(Map.of("PIHOLE_HOME_PASSWORD_FILE", password.toString(),
        "PIHOLE_HOME_TOTP_SECRET_FILE", totp.toString()));

    assertThatThrownBy(() -> credentials.passwordFor(home)).isInstanceOf(PiholeException.class)
        .hasMessageContaining("PIHOLE_HOME_PASSWORD_FILE").hasMessageContaining("PIHOLE_HOME_TOTP_SECRET_FILE")
        .satisfies(e -> assertThat(((PiholeException) e).failure()).isEqualTo(PiholeException.Failure.MISCONFIGURED));
  }
}
