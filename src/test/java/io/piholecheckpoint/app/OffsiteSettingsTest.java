package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsiteSettingsTest {
  private static final String PIN = "SHA256:" + "A".repeat(43);
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

  /** The environment's PIHOLE_<P>_URL prefixes reach the destination, which then never takes another Pi-hole of that name. */
  @Test
  void anInstancesEntryThatIsAPiholePrefixOfTheEnvironmentIsTakenAsThatPrefixAlone() {
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_NAS_URL", dir.toUri().toString(), "OFFSITE_NAS_INSTANCES", "ui2, kitchen",
        "PIHOLE_UI2_URL", "http://192.0.2.7", "PIHOLE_UI2_PING_URL", "https://hc-ping.example/x"), true);

    assertThat(s.targets().get(0).prefixesOnly()).containsExactly("UI2");
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
    // where each disabled one was set to write, for Settings to show beside why: the URL as set
    assertThat(s.disabledPlaces()).containsOnlyKeys("USB", "FTP", "B2").containsEntry("FTP", "ftp://host/x")
        .containsEntry("B2", "s3://bucket/prefix");
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
  void aRelativeFilePathIsRefusedForWhatItIsNotAsAClashWithAnotherDestination() {
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x", "OFFSITE_NAS_URL", dir.toUri().toString(),
        "OFFSITE_X1_URL", "file:relative/x"), true);

    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("NAS");
    assertThat(s.disabled().get("X1")).contains("OFFSITE_X1_URL must be a local directory's absolute path such as file:///")
        .doesNotContain("is the place of");
  }

  @Test
  void aQueryInADestinationsUrlIsRefusedNamingItsParametersNotTheirValues() {
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x", "OFFSITE_F_URL", dir.toUri() + "?token=s3cr3t",
        "OFFSITE_S_URL", "s3://bucket/a?region=eu&x=1", "OFFSITE_S_ACCESS_KEY_ID", "k", "OFFSITE_S_SECRET_ACCESS_KEY", "s",
        "OFFSITE_P_URL", "sftp://u@nas/backups?port=2222", "OFFSITE_P_PASSWORD", "p", "OFFSITE_P_HOST_KEY", "ssh-ed25519 AAAA"), true);

    assertThat(s.targets()).isEmpty();
    assertThat(s.disabled().get("F")).contains("OFFSITE_F_URL has a query (token) that is not read").doesNotContain("s3cr3t");
    assertThat(s.disabled().get("S")).contains("OFFSITE_S_URL has a query (region, x) that is not read", "OFFSITE_S_REGION")
        .doesNotContain("*");
    assertThat(s.disabled().get("P")).contains("OFFSITE_P_URL has a query (port) that is not read");
  }

  @Test
  void twoDestinationsInOnePlaceAreBothRefusedSinceEachRetentionWouldDeleteTheOthersCopies() {
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x", "OFFSITE_A_URL", dir.toUri().toString(),
        "OFFSITE_B_URL", dir.toUri() + "/", "OFFSITE_C_URL", dir.resolve("inner").toUri().toString(), "OFFSITE_D_URL", dir.resolveSibling(
            dir.getFileName() + "-other").toUri().toString(), "OFFSITE_S1_URL", "s3://bucket/a", "OFFSITE_S1_ACCESS_KEY_ID", "k",
        "OFFSITE_S1_SECRET_ACCESS_KEY", "s", "OFFSITE_S2_URL", "s3://bucket/a/b", "OFFSITE_S2_ACCESS_KEY_ID", "k", "OFFSITE_S2_SECRET_ACCESS_KEY", "s",
        "OFFSITE_S3_URL", "s3://bucket/ab", "OFFSITE_S3_ACCESS_KEY_ID", "k", "OFFSITE_S3_SECRET_ACCESS_KEY", "s"), true);

    // each of a clash is off: a new destination that sorts first must not leave the one that worked off and run itself
    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("D", "S3");
    assertThat(s.disabled().get("A")).contains("OFFSITE_A_URL is the place of OFFSITE_B_URL");
    assertThat(s.disabled().get("B")).contains("OFFSITE_B_URL is the place of OFFSITE_A_URL");
    assertThat(s.disabled().get("C")).contains("OFFSITE_C_URL is the place of OFFSITE_A_URL");
    assertThat(s.disabled().get("S1")).contains("OFFSITE_S1_URL is the place of OFFSITE_S2_URL");
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
  void aLinkToTheAppsOwnFolderIsTheFolderItPointsTo() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path link = Files.createSymbolicLink(dir.resolve("lnk"), data);
    Path around = Files.createSymbolicLink(dir.resolve("up"), dir);

    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_SYM1_URL", link.toUri().toString(), "OFFSITE_SYM1_ENCRYPT", "false",
        "OFFSITE_SYM2_URL", "file://" + link + "/not-yet-made/copies", "OFFSITE_SYM2_ENCRYPT", "false",
        "OFFSITE_UP_URL", around.toUri().toString(), "OFFSITE_UP_ENCRYPT", "false"), false, List.of(data));

    assertThat(s.targets()).isEmpty();
    assertThat(s.disabled().get("SYM1")).contains("OFFSITE_SYM1_URL is in (or around)", "links followed");
    assertThat(s.disabled().get("SYM2")).contains("OFFSITE_SYM2_URL is in (or around)");
    assertThat(s.disabled().get("UP")).as("a link to a folder around DATA_DIR").contains("OFFSITE_UP_URL is in (or around)");
  }

  @Test
  void aLinkRepointedIntoBackupDirAfterTheStartTakesNoCopyThere() throws Exception {
    Path backups = Files.createDirectories(dir.resolve("backups"));
    Path link = Files.createSymbolicLink(dir.resolve("lnk"), Files.createDirectories(dir.resolve("nas")));
    OffsiteSettings s = OffsiteSettings.read(env("OFFSITE_LNK_URL", link.toUri().toString(), "OFFSITE_LNK_ENCRYPT", "false"), false,
        List.of(dir.resolve("data"), backups));
    assertThat(s.targets()).extracting(OffsiteTarget::name).as("accepted at the start: the link leads elsewhere").containsExactly("LNK");
    Files.delete(link);
    Files.createSymbolicLink(link, backups);

    assertThatThrownBy(() -> s.targets().get(0).destination().put("office/a.zip", new java.io.ByteArrayInputStream(new byte[] {1}), 1))
        .hasMessageContaining("no off-site copy");
    assertThat(backups.resolve("office")).as("nothing written into BACKUP_DIR").doesNotExist();
  }

  @Test
  void twoSpellingsOfOnePlaceAreOnePlace() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    Path link = Files.createSymbolicLink(dir.resolve("nas-link"), nas);
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x",
        "OFFSITE_F1_URL", nas.toUri().toString(), "OFFSITE_F2_URL", link.toUri().toString(),
        "OFFSITE_S1_URL", "sftp://me@localhost:2222/tmp/x/sftp", "OFFSITE_S1_PASSWORD", "p", "OFFSITE_S1_HOST_KEY", PIN,
        "OFFSITE_S2_URL", "sftp://me@127.0.0.1:2222/tmp/x/./sftp", "OFFSITE_S2_PASSWORD", "p", "OFFSITE_S2_HOST_KEY", PIN,
        "OFFSITE_S3_URL", "sftp://other@LOCALHOST:2222/tmp/y/../x/sftp/inner", "OFFSITE_S3_PASSWORD", "p", "OFFSITE_S3_HOST_KEY", PIN,
        "OFFSITE_S4_URL", "sftp://me@127.0.0.1:2222/~/../tmp/x/sftp", "OFFSITE_S4_PASSWORD", "p", "OFFSITE_S4_HOST_KEY", PIN,
        "OFFSITE_S5_URL", "sftp://me@127.0.0.1:2223/tmp/x/sftp", "OFFSITE_S5_PASSWORD", "p", "OFFSITE_S5_HOST_KEY", PIN,
        "OFFSITE_W1_URL", "webdav+http://localhost/dav/a", "OFFSITE_W2_URL", "webdav+http://[::1]:80/dav//a/",
        "OFFSITE_B1_URL", "s3://bucket/p", "OFFSITE_B1_ENDPOINT", "http://localhost:9000", "OFFSITE_B1_ACCESS_KEY_ID", "k",
        "OFFSITE_B1_SECRET_ACCESS_KEY", "s", "OFFSITE_B2_URL", "s3://bucket/p/q", "OFFSITE_B2_ENDPOINT", "http://127.0.0.1:9000/",
        "OFFSITE_B2_ACCESS_KEY_ID", "k", "OFFSITE_B2_SECRET_ACCESS_KEY", "s",
        "OFFSITE_W3_URL", "webdav+https://NAS.lan./dav/b", "OFFSITE_W4_URL", "webdav+https://nas.lan:443/dav/b/inner/",
        "OFFSITE_B3_URL", "s3://aws-bucket/p", "OFFSITE_B3_ACCESS_KEY_ID", "k", "OFFSITE_B3_SECRET_ACCESS_KEY", "s",
        "OFFSITE_B4_URL", "s3://aws-bucket/p/", "OFFSITE_B4_ENDPOINT", "https://s3.eu-central-1.amazonaws.com", "OFFSITE_B4_REGION", "eu-central-1",
        "OFFSITE_B4_ACCESS_KEY_ID", "k", "OFFSITE_B4_SECRET_ACCESS_KEY", "s",
        "OFFSITE_B5_URL", "s3://aws-bucket/p", "OFFSITE_B5_ENDPOINT", "https://s3.example.com", "OFFSITE_B5_ACCESS_KEY_ID", "k",
        "OFFSITE_B5_SECRET_ACCESS_KEY", "s"), true);

    assertThat(s.targets()).extracting(OffsiteTarget::name).as("another store's bucket of that name is another place").containsExactly("B5", "S5");
    assertThat(s.disabled().get("W3")).contains("OFFSITE_W3_URL is the place of OFFSITE_W4_URL");
    assertThat(s.disabled().get("W4")).contains("OFFSITE_W4_URL is the place of OFFSITE_W3_URL");
    assertThat(s.disabled().get("B3")).contains("OFFSITE_B3_URL is the place of OFFSITE_B4_URL");
    assertThat(s.disabled().get("B4")).contains("OFFSITE_B4_URL is the place of OFFSITE_B3_URL");
    assertThat(s.disabled().get("F1")).contains("OFFSITE_F1_URL is the place of OFFSITE_F2_URL");
    assertThat(s.disabled().get("F2")).contains("OFFSITE_F2_URL is the place of OFFSITE_F1_URL");
    assertThat(s.disabled().get("S1")).contains("OFFSITE_S1_URL is the place of OFFSITE_S2_URL");
    assertThat(s.disabled().get("S2")).contains("OFFSITE_S2_URL is the place of OFFSITE_S1_URL");
    assertThat(s.disabled().get("S3")).contains("OFFSITE_S3_URL is the place of OFFSITE_S1_URL");
    assertThat(s.disabled().get("S4")).as("the home is not known here: no way to tell where .. leads").contains("climbs above");
    assertThat(s.disabled().get("W2")).contains("OFFSITE_W2_URL is the place of OFFSITE_W1_URL");
    assertThat(s.disabled().get("B2")).contains("OFFSITE_B2_URL is the place of OFFSITE_B1_URL");
  }

  @Test
  void portsLengthsAndAnotherKindsOptionsAreRefused() {
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x",
        "OFFSITE_W0_URL", "webdav+http://nas.lan:0/dav", "OFFSITE_WBIG_URL", "webdav+https://nas.lan:65536/dav",
        "OFFSITE_E_URL", "s3://bucket/p", "OFFSITE_E_ENDPOINT", "http://minio.lan:70000", "OFFSITE_E_ACCESS_KEY_ID", "k",
        "OFFSITE_E_SECRET_ACCESS_KEY", "s", "OFFSITE_HK_URL", "webdav+https://nas.lan/dav", "OFFSITE_HK_HOST_KEY", "SHA256:abc",
        "OFFSITE_LONG_URL", "webdav+https://nas.lan/" + "a".repeat(2_100), "OFFSITE_PW_URL", "webdav+https://nas.lan/pw",
        "OFFSITE_PW_PASSWORD", "p".repeat(5_000)), true);

    assertThat(s.targets()).isEmpty();
    assertThat(s.disabled().get("W0")).contains("OFFSITE_W0_URL has the port 0");
    assertThat(s.disabled().get("WBIG")).contains("OFFSITE_WBIG_URL has the port 65536");
    assertThat(s.disabled().get("E")).contains("OFFSITE_E_ENDPOINT has the port 70000");
    assertThat(s.disabled().get("HK")).contains("OFFSITE_HK_HOST_KEY is a setting of an sftp:// destination only");
    assertThat(s.disabled().get("LONG")).contains("OFFSITE_LONG_URL is 2123 characters long").doesNotContain("aaaa");
    assertThat(s.disabled().get("PW")).contains("OFFSITE_PW_PASSWORD is 5000 characters long").doesNotContain("pppp");
  }

  @Test
  void aUserOrPasswordTheKindDoesNotReadDisablesTheDestination() {
    OffsiteSettings s = OffsiteSettings.read(env("BACKUP_ENCRYPTION_PASSPHRASE", "x", "OFFSITE_BADS_URL", dir.resolve("bads").toUri().toString(),
        "OFFSITE_BADS_PASSWORD", "p", "OFFSITE_SU_URL", "sftp://backup@nas.lan/x", "OFFSITE_SU_USER", "backup", "OFFSITE_SU_PASSWORD", "p",
        "OFFSITE_SU_HOST_KEY", "SHA256:" + "A".repeat(43), "OFFSITE_W_URL", "webdav+https://nas.lan/dav", "OFFSITE_W_USER", "u",
        "OFFSITE_W_PASSWORD", "p"), true);

    assertThat(s.targets()).extracting(OffsiteTarget::name).containsExactly("W");
    assertThat(s.disabled().get("BADS")).contains("OFFSITE_BADS_PASSWORD is not read by a file:// destination (only by sftp:// and webdav://)",
        "remove it (and any OFFSITE_BADS_PASSWORD_FILE), or fix OFFSITE_BADS_URL").doesNotContain("=p");
    assertThat(s.disabled().get("SU")).contains("OFFSITE_SU_USER is not read by a sftp:// destination (only by webdav://; SFTP takes the user"
        + " from the URL)");
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
