package io.piholecheckpoint.core.restore.parts;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.SecretDigests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A restore that will change the Pi-hole's password or 2FA says so before anything else; one that keeps them says that. */
class RestorePreviewTest {
  private static final ArchiveSettings LIVE_WITH_2FA = settings("\"live-pwhash\"", "\"LIVETOTPSEED\"");
  private static final ArchiveSettings BACKUP_WITHOUT_2FA = settings("\"backup-pwhash\"", "\"\"");
  private static final ArchiveSettings LIVE_WITHOUT_2FA = settings("\"live-pwhash\"", "\"\"");
  private static final ArchiveSettings BACKUP_WITH_2FA = settings("\"backup-pwhash\"", "\"BACKUPTOTPSEED\"");

  @Test
  void anExactRestoreWarnsThatPasswordAnd2faBecomeTheBackups() {
    RestorePreview preview = preview(RestoreMode.EXACT);

    assertThat(preview.changes().settings()).extracting(ContentDiff.SettingChange::note).containsExactly("password changed", "2FA disabled");
    assertThat(preview.warnings()).containsExactly(
        "The Pi-hole's password will become the one it had when the backup was taken: enter that one in its settings here afterwards.",
        "2FA will be switched off on the Pi-hole, as it was when the backup was taken. Clear its TOTP secret in its settings here afterwards.");
  }

  @Test
  void anEnvironmentInstanceIsToldWhichVariablesToChange() {
    RestoreParts parts = RestoreParts.of(RestoreMode.EXACT, null);
    ArchiveSettings intended = RestorePlan.intended(LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts);

    RestorePreview preview = RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITH_2FA, intended, 0), LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts,
        new SecretVariables("PIHOLE_HOME_PASSWORD", "PIHOLE_HOME_TOTP_SECRET", true));

    assertThat(preview.warnings()).containsExactly(
        "The Pi-hole's password will become the one it had when the backup was taken: set PIHOLE_HOME_PASSWORD to it and restart Pi-hole"
            + " Checkpoint afterwards.",
        "2FA will be switched off on the Pi-hole, as it was when the backup was taken. Remove PIHOLE_HOME_TOTP_SECRET and restart "
            + "Pi-hole Checkpoint afterwards.");
    assertThat(String.join(" ", preview.warnings())).doesNotContain("in its settings here");
  }

  /** Outsider 45: with no 2FA secret configured there is nothing to remove; the warning says only that 2FA goes off. */
  @Test
  void noVariableIsToBeRemovedWhenNoTwoFactorSecretIsSet() {
    RestoreParts parts = RestoreParts.of(RestoreMode.EXACT, null);
    ArchiveSettings intended = RestorePlan.intended(LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts);

    RestorePreview preview = RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITH_2FA, intended, 0), LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts,
        new SecretVariables("PIHOLE_HOME_PASSWORD", "PIHOLE_HOME_TOTP_SECRET", false));

    assertThat(preview.warnings()).contains("2FA will be switched off on the Pi-hole, as it was when the backup was taken.");
    assertThat(String.join(" ", preview.warnings())).doesNotContain("TOTP_SECRET");
  }

  /** Outsider 41: a {@code _FILE} variable wins over the plain one and is read afresh, so that is the one named, with no restart. */
  @Test
  void fileVariablesInUseAreTheOnesNamedWithoutARestart() {
    RestoreParts parts = RestoreParts.of(RestoreMode.EXACT, null);
    ArchiveSettings intended = RestorePlan.intended(LIVE_WITHOUT_2FA, BACKUP_WITH_2FA, parts);

    RestorePreview preview = RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITHOUT_2FA, intended, 0), LIVE_WITHOUT_2FA, BACKUP_WITH_2FA, parts,
        new SecretVariables("PIHOLE_HOME_PASSWORD_FILE", "PIHOLE_HOME_TOTP_SECRET_FILE", true));

    assertThat(preview.warnings()).containsExactly(
        "The Pi-hole's password will become the one it had when the backup was taken: write it to the file that PIHOLE_HOME_PASSWORD_FILE"
            + " names afterwards (it is read afresh for every backup: no restart needed).",
        "2FA will be switched on: the Pi-hole will ask for codes from the authenticator set up when the backup was taken. Write the"
            + " backup's 2FA secret to the file that PIHOLE_HOME_TOTP_SECRET_FILE names afterwards (it is read afresh for every backup: no"
            + " restart needed).");
    assertThat(String.join(" ", preview.warnings())).doesNotContain("restart Pi-hole Checkpoint").doesNotContain("Set PIHOLE_HOME_TOTP_SECRET ");
  }

  @Test
  void anInstanceMadeHereIsToldWhereTheNew2faSecretGoes() {
    RestoreParts parts = RestoreParts.of(RestoreMode.EXACT, null);
    ArchiveSettings intended = RestorePlan.intended(LIVE_WITHOUT_2FA, BACKUP_WITH_2FA, parts);

    RestorePreview preview = RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITHOUT_2FA, intended, 0), LIVE_WITHOUT_2FA, BACKUP_WITH_2FA, parts);

    assertThat(preview.warnings()).contains("2FA will be switched on: the Pi-hole will ask for codes from the authenticator set up when the"
        + " backup was taken. Enter the backup's 2FA secret as its TOTP secret in its settings here afterwards.");
  }

  @Test
  void aModeThatKeepsTheIdentitySaysTheSecretsDifferAndStay() {
    for (RestoreMode mode : List.of(RestoreMode.ALL_BUT_IDENTITY, RestoreMode.LISTS_AND_DNS)) {
      RestorePreview preview = preview(mode);

      assertThat(preview.changes().settings()).as(mode.id()).isEmpty();
      assertThat(preview.warnings()).as(mode.id()).singleElement().asString()
          .contains("password changed, 2FA disabled").contains("keeps the Pi-hole's own");
    }
  }

  /** Outsider 39 (M): "custom — only the parts you tick" with identity ticked alone: all of pihole.toml comes with it, and it says so first. */
  @Test
  void identityTickedWithoutLocalDnsAndSettingsSaysTheyComeWithIt() {
    RestoreParts parts = new RestoreParts(false, false, false, true);
    ArchiveSettings intended = RestorePlan.intended(LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts);

    RestorePreview preview = RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITH_2FA, intended, 0), LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts);

    assertThat(preview.warnings()).hasSize(3).first().asString().contains("whole pihole.toml", "Teleporter cannot import part of it",
        "every setting and the local DNS records and CNAMEs become the backup's too");
  }

  @Test
  void equalSecretsNeedNoWarning() {
    RestorePreview preview = RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITH_2FA, LIVE_WITH_2FA, 0), LIVE_WITH_2FA, LIVE_WITH_2FA,
        RestoreParts.of(RestoreMode.EXACT, null));

    assertThat(preview.warnings()).isEmpty();
    assertThat(preview.changes().empty()).isTrue();
  }

  private static RestorePreview preview(RestoreMode mode) {
    RestoreParts parts = RestoreParts.of(mode, null);
    ArchiveSettings intended = RestorePlan.intended(LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts);
    return RestorePreview.of(ContentDiff.of(Map.of(), LIVE_WITH_2FA, intended, 0), LIVE_WITH_2FA, BACKUP_WITHOUT_2FA, parts);
  }

  /** As the reader hands them out: masked values beside their digests. */
  private static ArchiveSettings settings(String pwhash, String totp) {
    Map<String, String> raw = Map.of("webserver.api.pwhash", pwhash, "webserver.api.totp_secret", totp, "dns.port", "53");
    return new ArchiveSettings(List.of(), List.of(), Map.of("webserver.api.pwhash", "(secret)",
        "webserver.api.totp_secret", totp.equals("\"\"") ? "(not set)" : "(secret)", "dns.port", "53"), List.of(), SecretDigests.of(raw));
  }
}
