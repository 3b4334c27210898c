package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files are named all at once, by the variable in use, through the real reader of the settings and real files. */
class SecretFileVariablesTest {
  @TempDir
  Path dir;

  private Map<String, String> missingFilesOfEveryKind() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PIHOLE_HOME_URL", "http://10.0.0.2");
    env.put("PIHOLE_HOME_PASSWORD_FILE", dir.resolve("home-password").toString());
    env.put("PIHOLE_HOME_TOTP_SECRET_FILE", dir.resolve("home-totp").toString());
    env.put("NOTIFY_NTFY_TOKEN_FILE", dir.resolve("ntfy-token").toString());
    env.put("OFFSITE_NAS_PASSWORD_FILE", dir.resolve("nas-password").toString());
    env.put("STORAGE_SECRET_ACCESS_KEY_FILE", Files.writeString(dir.resolve("empty"), "").toString());
    env.put("API_TOKEN_FILE", Files.writeString(dir.resolve("api-token"), "a readable token of some length\n").toString());
    return env;
  }

  @Test
  void everySecretFileThatCannotBeReadIsNamedAtOnceWithItsVariablePathAndWhatToDo() throws Exception {
    List<String> problems = SecretFileVariables.unreadable(missingFilesOfEveryKind());

    assertThat(problems).containsExactly(
        "NOTIFY_NTFY_TOKEN_FILE=" + dir.resolve("ntfy-token") + " cannot be read (no such file); mount the file readable by the app user",
        "OFFSITE_NAS_PASSWORD_FILE=" + dir.resolve("nas-password") + " cannot be read (no such file); mount the file readable by the app user",
        "PIHOLE_HOME_PASSWORD_FILE=" + dir.resolve("home-password") + " cannot be read (no such file); mount the file readable by the app user",
        "PIHOLE_HOME_TOTP_SECRET_FILE=" + dir.resolve("home-totp") + " cannot be read (no such file); mount the file readable by the app user",
        "STORAGE_SECRET_ACCESS_KEY_FILE=" + dir.resolve("empty") + " names an empty file; put the secret in it");
  }

  /** One refusal names them all: fixing the sign-in file and starting again no longer brings the next missing file to light. */
  @Test
  void aRefusedStartNamesEverySecretFileThatCannotBeReadNotOnlyItsOwn() throws Exception {
    Map<String, String> env = missingFilesOfEveryKind();
    env.put("APP_PASSWORD_FILE", dir.resolve("app-password").toString());
    env.put("DATA_DIR", dir.resolve("data").toString());
    env.put("BACKUP_DIR", dir.resolve("backups").toString());

    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> assertThat(e.getMessage())
        .startsWith("6 settings cannot be used; fix them all before the next start: (1) APP_PASSWORD_FILE=")
        .contains("PIHOLE_HOME_PASSWORD_FILE=", "PIHOLE_HOME_TOTP_SECRET_FILE=", "NOTIFY_NTFY_TOKEN_FILE=", "OFFSITE_NAS_PASSWORD_FILE=",
            "STORAGE_SECRET_ACCESS_KEY_FILE="));
  }

  @Test
  void aStartThatGoesOnIsNotRefusedForTheFilesOfWhatItDoesNotNeedToStart() throws Exception {
    Map<String, String> env = missingFilesOfEveryKind();
    env.put("DATA_DIR", dir.resolve("data").toString());
    env.put("BACKUP_DIR", dir.resolve("backups").toString());

    assertThat(AppConfig.from(env)).isNotNull();
  }

  @Test
  void aPlainSecretBesideItsFileIsNamedAsNotRead() throws Exception {
    Map<String, String> env = Map.of("APP_PASSWORD", "a long enough app password", "APP_PASSWORD_FILE", dir.resolve("pw").toString(),
        "PIHOLE_HOME_PASSWORD", "pw", "PIHOLE_HOME_PASSWORD_FILE", " ", "TIME_ZONE_FILE", "/nowhere");

    assertThat(SecretFileVariables.overridden(env)).containsExactly(
        "APP_PASSWORD is set, but so is APP_PASSWORD_FILE, which wins: APP_PASSWORD is not read — remove one of them");
  }

  @Test
  void aSecretReadFromItsFileIsRefusedUnderTheFileVariable() throws Exception {
    Map<String, String> env = Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString(),
        "API_TOKEN_FILE", Files.writeString(dir.resolve("token"), "short-token\n").toString(),
        "BACKUP_ENCRYPTION_PASSPHRASE_FILE", Files.writeString(dir.resolve("passphrase"), "too short\n").toString(),
        "SESSION_SECRET_FILE", Files.writeString(dir.resolve("session"), "short-session-secret\n").toString(),
        "DATABASE_PASSWORD_FILE", Files.writeString(dir.resolve("db"), "pw\n").toString());

    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> assertThat(e.getMessage())
        .contains("API_TOKEN_FILE is shorter than 16 characters", "BACKUP_ENCRYPTION_PASSPHRASE_FILE is shorter than 12 characters",
            "SESSION_SECRET_FILE is shorter than 32 characters", "DATABASE_PASSWORD_FILE is set without DATABASE_URL")
        .doesNotContain("short-token", "too short", "short-session-secret"));
  }

  /** Both files of a Pi-hole at once: fixing the password's no longer only brings the TOTP secret's to light. */
  @Test
  void bothSecretFilesOfAPiholeThatCannotBeReadAreNamedTogether() throws Exception {
    InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
    instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    PiholeInstance home = instances.list().get(0);

    String problem = new EnvironmentCredentials(missingFilesOfEveryKind()).problemOf(home).orElseThrow();

    assertThat(problem).isEqualTo("PIHOLE_HOME_PASSWORD_FILE=" + dir.resolve("home-password") + " cannot be read (no such file); mount the"
        + " file readable by the app user; PIHOLE_HOME_TOTP_SECRET_FILE=" + dir.resolve("home-totp") + " cannot be read (no such file);"
        + " mount the file readable by the app user");
  }
}
