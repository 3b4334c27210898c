package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.offsite.OffsiteTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.resolve("nas").toUri().toString(), "OFFSITE_USB_URL", dir.resolve("usb").toUri().toString(),
        "OFFSITE_USB_MAX_BACKUPS", "many", "OFFSITE_FTP_URL", "ftp://host/x", "OFFSITE_B2_URL", "s3://bucket/prefix"), true);

    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("NAS");
    assertThat(s.disabled().get("USB")).contains("OFFSITE_USB_MAX_BACKUPS='many' must be a whole number");
    assertThat(s.disabled().get("FTP")).contains("OFFSITE_FTP_URL must start with file://");
    assertThat(s.disabled().get("B2")).contains("OFFSITE_B2_ACCESS_KEY_ID is required");
  }

  @Test
  void everyBadSettingOfADestinationIsNamedInOneMessage() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_USB_URL", dir.resolve("usb").toUri().toString(), "OFFSITE_USB_MAX_BACKUPS", "many",
        "OFFSITE_USB_KEEP_DAILY", "-1", "OFFSITE_USB_TIMEOUT_SECONDS", "0", "OFFSITE_USB_ENCRYPT", "maybe"), true);

    assertThat(s.disabled().get("USB")).contains("OFFSITE_USB_MAX_BACKUPS='many'", "OFFSITE_USB_KEEP_DAILY='-1'", "OFFSITE_USB_TIMEOUT_SECONDS='0'",
        "OFFSITE_USB_ENCRYPT");
  }

  @Test
  void fullWidthDigitsInANumberOrAPortAreRefused() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_USB_URL", dir.resolve("usb").toUri().toString(), "OFFSITE_USB_MAX_BACKUPS", "\uff13\uff10",
        "OFFSITE_NAS_URL", "sftp://me@nas.local:\uff12\uff12\uff12\uff12/backups", "OFFSITE_NAS_HOST_KEY", "SHA256:" + "A".repeat(43)), true);

    assertThat(s.targets()).isEmpty();
    assertThat(s.disabled().get("USB")).contains("OFFSITE_USB_MAX_BACKUPS='\uff13\uff10' must be a whole number");
    assertThat(s.disabled().get("NAS")).contains("OFFSITE_NAS_URL must write its host and port in plain ASCII");
  }

  @Test
  void withAPassphraseEveryCopyIsEncryptedAndEncryptFalseSaysItChangesNothing() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false"), true);

    assertThat(s.targets()).singleElement().satisfies(t -> assertThat(t.encrypt()).isTrue());
    assertThat(s.warnings()).singleElement().asString().contains("OFFSITE_NAS_ENCRYPT=false changes nothing", "leaves encrypted")
        .doesNotContain("unencrypted");
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

  @Test
  void theFirstRunAfterAStartComesAfterTheSecondsSetOrTenWithAWarningForABadValue() {
    assertThat(OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString()), true).firstRun()).isEqualTo(Duration.ofSeconds(10));

    OffsiteSettings now = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "0"), true);
    assertThat(now.firstRun()).isZero();
    assertThat(now.warnings()).as("a setting of all destinations, not a stray one of a destination FIRST").isEmpty();

    OffsiteSettings bad = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "-1"), true);
    assertThat(bad.firstRun()).isEqualTo(Duration.ofSeconds(10));
    assertThat(bad.targets()).extracting(OffsiteTarget::name).containsExactly("NAS");
    assertThat(bad.warnings()).containsExactly("OFFSITE_FIRST_RUN_SECONDS='-1' must be a whole number from 0 to 3600; using 10");
  }

  @Test
  void twoDestinationsInOnePlaceAreRefusedSinceEachRetentionWouldDeleteTheOthersCopies() {
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x", "OFFSITE_A_URL", dir.toUri().toString(),
        "OFFSITE_B_URL", dir.toUri() + "/", "OFFSITE_C_URL", dir.resolve("inner").toUri().toString(), "OFFSITE_D_URL", dir.resolveSibling(
            dir.getFileName() + "-other").toUri().toString(), "OFFSITE_S1_URL", "s3://bucket/a", "OFFSITE_S1_ACCESS_KEY_ID", "k",
        "OFFSITE_S1_SECRET_ACCESS_KEY", "s", "OFFSITE_S2_URL", "s3://bucket/a/b", "OFFSITE_S2_ACCESS_KEY_ID", "k", "OFFSITE_S2_SECRET_ACCESS_KEY", "s",
        "OFFSITE_S3_URL", "s3://bucket/ab", "OFFSITE_S3_ACCESS_KEY_ID", "k", "OFFSITE_S3_SECRET_ACCESS_KEY", "s"), true);

    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("A", "D", "S1", "S3");
    assertThat(s.disabled().get("B")).contains("OFFSITE_B_URL is the place of OFFSITE_A_URL");
    assertThat(s.disabled().get("C")).contains("OFFSITE_C_URL is the place of OFFSITE_A_URL");
    assertThat(s.disabled().get("S2")).contains("OFFSITE_S2_URL is the place of OFFSITE_S1_URL");
  }

  @Test
  void aDirectoryInsideTheAppsOwnFoldersIsNoOffsiteCopy() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_IN_URL", dir.resolve("backups/offsite").toUri().toString(), "OFFSITE_IN_ENCRYPT", "false",
        "OFFSITE_OUT_URL", dir.resolve("nas").toUri().toString(), "OFFSITE_OUT_ENCRYPT", "false"), false, List.of(dir.resolve("backups")));

    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("OUT");
    assertThat(s.disabled().get("IN")).contains("OFFSITE_IN_URL is in (or around)", "no off-site copy");
  }

  @Test
  void anSftpPortOutOfRangeDisablesTheDestinationAtStart() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_F_URL", "sftp://root@127.0.0.1:99999/x", "OFFSITE_F_ENCRYPT", "false",
        "OFFSITE_G_URL", "sftp://root@127.0.0.1:0/x", "OFFSITE_G_ENCRYPT", "false"), false);

    assertThat(s.targets()).isEmpty();
    assertThat(s.disabled().get("F")).contains("OFFSITE_F_URL has the port 99999");
    assertThat(s.disabled().get("G")).contains("OFFSITE_G_URL has the port 0");
  }

  @Test
  void aFileThatIsNoPrivateKeySaysWhatToFixNotTheParsersException() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("id_ed25519"), "this is not a key\n");
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_F_URL", "sftp://backup@nas.lan/x", "OFFSITE_F_ENCRYPT", "false",
        "OFFSITE_F_PRIVATE_KEY_FILE", notAKey.toString(), "OFFSITE_F_HOST_KEY", "SHA256:" + "A".repeat(43)), false);

    assertThat(s.disabled().get("F")).contains("OFFSITE_F_PRIVATE_KEY_FILE (" + notAKey + ") could not be read as a private key")
        .doesNotContain("Exception");
  }

  @Test
  void anEmptyUrlOrALowerCaseNameIsNamedForWhatItIs() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_L_URL", "", "OFFSITE_L_MAX_BACKUPS", "3", "OFFSITE_lower_URL", dir.toUri().toString()), false);

    assertThat(s.targets()).isEmpty();
    assertThat(s.warnings()).contains("OFFSITE_L_MAX_BACKUPS is ignored: OFFSITE_L_URL is empty, which turns that destination off",
        "OFFSITE_lower_URL is ignored: a destination's <NAME> is upper-case letters, digits and _ (OFFSITE_NAS_URL)");
  }
}
