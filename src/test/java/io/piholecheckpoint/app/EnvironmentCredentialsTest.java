package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
