package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.offsite.OffsiteTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsiteSettingsTest {
  @TempDir
  Path dir;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void aFileDestinationWithItsOwnRetentionAndInstances() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_NAS_MAX_BACKUPS", "30",
        "OFFSITE_NAS_KEEP_MONTHLY", "12", "OFFSITE_NAS_INSTANCES", "home, Office Pi"), true);

    assertThat(s.disabled()).isEmpty();
    OffsiteTarget nas = s.targets().get(0);
    assertThat(nas.name()).isEqualTo("NAS");
    assertThat(nas.encrypt()).isTrue();
    assertThat(nas.instances()).containsExactly("HOME", "OFFICE PI");
    assertThat(nas.retention()).isEqualTo(new OffsiteTarget.RemoteRetention(30, null, null, null, 12));
    assertThat(nas.destination().describe()).isEqualTo("file://" + dir);
    assertThat(s.staleAfter()).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void withoutAPassphraseAnEncryptingDestinationIsDisabledAndSaysWhy() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString()), false);

    assertThat(s.targets()).isEmpty();
    assertThat(s.disabled().get("NAS")).contains("no BACKUP_ENCRYPTION_PASSPHRASE is set", "OFFSITE_NAS_ENCRYPT=false");
  }

  @Test
  void encryptFalseCopiesPlainWithAWarning() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false"), false);

    assertThat(s.targets()).singleElement().satisfies(t -> assertThat(t.encrypt()).isFalse());
    assertThat(s.warnings()).singleElement().asString().contains("OFFSITE_NAS_ENCRYPT=false", "unencrypted");
  }

  @Test
  void aBadSettingDisablesOnlyItsDestinationAndNamesTheVariable() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_USB_URL", dir.toUri().toString(),
        "OFFSITE_USB_MAX_BACKUPS", "many", "OFFSITE_FTP_URL", "ftp://host/x", "OFFSITE_B2_URL", "s3://bucket/prefix"), true);

    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("NAS");
    assertThat(s.disabled().get("USB")).contains("OFFSITE_USB_MAX_BACKUPS='many' must be a whole number");
    assertThat(s.disabled().get("FTP")).contains("OFFSITE_FTP_URL must start with file://");
    assertThat(s.disabled().get("B2")).contains("OFFSITE_B2_ACCESS_KEY_ID is required");
  }

  @Test
  void aSecretComesFromItsFileAndNeverIntoAMessage() throws Exception {
    Path secret = Files.writeString(dir.resolve("password"), "s3cr3t-value\n");
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_DAV_URL", "webdav+https://user:inline-secret@cloud.example/dav",
        "OFFSITE_DAV_PASSWORD_FILE", secret.toString()), true);

    assertThat(s.disabled().get("DAV")).doesNotContain("s3cr3t-value", "inline-secret");
  }

  @Test
  void aSecretFileThatCannotBeReadDisablesTheDestination() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_NAS_PASSWORD_FILE", dir.resolve("none").toString()),
        true);

    assertThat(s.disabled().get("NAS")).contains("OFFSITE_NAS_PASSWORD_FILE=", "cannot be read");
  }

  @Test
  void strayVariablesAreNamed() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_NAS_MAXBACKUPS", "3",
        "OFFSITE_USB_REGION", "eu", "OFFSITE_STALE_AFTER", "3d"), true);

    assertThat(s.warnings()).containsExactly(
        "OFFSITE_NAS_MAXBACKUPS is not a setting of Pi-hole Checkpoint (see OFFSITE_<NAME>_… in the README); it is ignored",
        "OFFSITE_USB_REGION belongs to no destination: there is no OFFSITE_USB_URL; it is ignored");
    assertThat(s.staleAfter()).isEqualTo(Duration.ofDays(3));
  }
}
