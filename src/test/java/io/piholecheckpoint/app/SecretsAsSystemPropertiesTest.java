package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A secret given as -DNAME=… is used, but a container logs its command line: one warning names it, never its value. */
class SecretsAsSystemPropertiesTest {

  @Test
  void aSecretGivenAsASystemPropertyIsUsedAndNamedInOneWarningWithoutItsValue() {
    Properties properties = new Properties();
    properties.setProperty("APP_PASSWORD", "hunter2-very-secret");
    properties.setProperty("OFFSITE_NAS_SECRET_ACCESS_KEY", "aws-secret-value");
    properties.setProperty("DATA_DIR", "/var/lib/checkpoint");
    properties.setProperty("APP_PASSWORD_FILE", "/run/secrets/pw");
    properties.setProperty("java.io.tmpdir", "/tmp");
    List<String> warnings = new ArrayList<>();

    Map<String, String> settings = Settings.read(Map.of("BACKUP_DIR", "/b", "API_TOKEN", "from-the-environment"), properties, warnings::add);

    assertThat(settings).containsEntry("APP_PASSWORD", "hunter2-very-secret").containsEntry("DATA_DIR", "/var/lib/checkpoint")
        .containsEntry("API_TOKEN", "from-the-environment").doesNotContainKey("java.io.tmpdir");
    assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).doesNotContain("hunter2").doesNotContain("aws-secret-value")
        .contains("environment variable"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("The secret APP_PASSWORD is set as a JVM system property (-DAPP_PASSWORD)"))
        .anySatisfy(w -> assertThat(w).contains("OFFSITE_NAS_SECRET_ACCESS_KEY_FILE"));
  }
}
