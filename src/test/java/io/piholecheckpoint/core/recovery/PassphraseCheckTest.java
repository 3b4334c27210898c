package io.piholecheckpoint.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestTimes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphraseCheckTest {
  private static final String SHA = "a".repeat(64);
  private static final String KEY = "home/home_20261202T030000Z_abcdef.zip.gpg";

  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T12:00:00Z"));

  private OffsiteTargets nasHolding(byte[] encrypted) throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas").resolve("home"));
    Files.write(nas.resolve("home_20261202T030000Z_abcdef.zip.gpg"), encrypted);
    Files.writeString(nas.resolve("home_20261202T030000Z_abcdef.zip.gpg.json"), """
        {"format": "pihole-checkpoint-offsite/1", "instance": "Home", "startedAt": "2026-12-02T03:00:00Z",
         "finishedAt": "2026-12-02T03:00:02Z", "fileName": "home_20261202T030000Z_abcdef.zip", "remoteKey": "%s",
         "archiveBytes": 1000, "archiveSha256": "%s", "uploadedBytes": %d, "uploadedSha256": "%s", "contentHash": "%s"}
        """.formatted(KEY, SHA, encrypted.length, SHA, SHA), StandardCharsets.UTF_8);
    FileDestination destination = new FileDestination(new DestinationConfig("NAS", dir.resolve("nas").toUri(), Map.of(), Duration.ofSeconds(5)));
    return OffsiteTargets.of(List.of(new OffsiteTarget("NAS", destination, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true)));
  }

  private static byte[] encrypted(String passphrase) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new OpenPgpArchiveCipher(passphrase.toCharArray()).encrypt(new ByteArrayInputStream("PK an archive".getBytes(StandardCharsets.UTF_8)), out);
    return out.toByteArray();
  }

  @Test
  void theRightPassphraseFindsNothingWrong() throws Exception {
    PassphraseCheck check = new PassphraseCheck(nasHolding(encrypted("right")), new OpenPgpArchiveCipher("right".toCharArray()), clock);

    check.checkWhenDue("NAS");

    assertThat(check.problem()).isEmpty();
  }

  @Test
  void aWrongPassphraseNamesTheDestinationOnceChecked() throws Exception {
    PassphraseCheck check = new PassphraseCheck(nasHolding(encrypted("right")), new OpenPgpArchiveCipher("wrong".toCharArray()), clock);

    check.checkWhenDue("NAS");

    assertThat(check.unopened()).containsExactly("NAS");
    assertThat(check.problem()).hasValueSatisfying(m -> assertThat(m).startsWith("the BACKUP_ENCRYPTION_PASSPHRASE set does not open the off-site"
        + " copies at NAS").endsWith("Start Pi-hole Checkpoint with the passphrase they were encrypted with").doesNotContain("wrong", "right"));
  }

  /** With no passphrase set, a destination that copies plain has no passphrase to check: out of reach, it is not "unchecked". */
  @Test
  void aPlainDestinationOutOfReachWithNoPassphraseSetIsNotReportedAsUnchecked() throws Exception {
    FileDestination unmounted = new FileDestination(new DestinationConfig("NAS", dir.resolve("not-mounted").toUri(), Map.of(), Duration.ofSeconds(5)));
    PassphraseCheck check = new PassphraseCheck(OffsiteTargets.of(List.of(new OffsiteTarget("NAS", unmounted, List.of(),
        OffsiteTarget.RemoteRetention.INSTANCES_OWN, false))), ArchiveCipher.NONE, clock);

    check.checkWhenDue("NAS");

    assertThat(check.unchecked()).isEmpty();
    assertThat(check.notChecked(TestTimes.UTC)).isEmpty();
    assertThat(check.problem()).isEmpty();
  }

  @Test
  void noPassphraseAtAllIsSaidAsMissing() throws Exception {
    PassphraseCheck check = new PassphraseCheck(nasHolding(encrypted("right")), ArchiveCipher.NONE, clock);

    check.checkWhenDue("NAS");

    assertThat(check.problem()).hasValueSatisfying(m -> assertThat(m).startsWith("no BACKUP_ENCRYPTION_PASSPHRASE is set, and the off-site copies"
        + " at NAS are encrypted"));
  }

  @Test
  void aCopyWithoutAManifestOfOursIsNotTriedAndSaysNothing() throws Exception {
    OffsiteTargets targets = nasHolding(encrypted("right"));
    Files.writeString(dir.resolve("nas").resolve(KEY + ".json"), "{not a manifest", StandardCharsets.UTF_8);
    PassphraseCheck check = new PassphraseCheck(targets, new OpenPgpArchiveCipher("wrong".toCharArray()), clock);

    check.checkWhenDue("NAS");

    assertThat(check.problem()).isEmpty();
  }

  @Test
  void aDestinationOutOfReachAtStartIsCheckedAgainWhenDueUntilItCouldBe() throws Exception {
    OffsiteTargets targets = nasHolding(encrypted("right"));
    Path nas = dir.resolve("nas");
    Path unmounted = Files.move(nas, dir.resolve("nas-unmounted"));
    PassphraseCheck check = new PassphraseCheck(targets, new OpenPgpArchiveCipher("wrong".toCharArray()), clock);

    check.checkWhenDue("NAS");

    assertThat(check.problem()).as("out of reach: nothing is known of the passphrase").isEmpty();
    assertThat(check.unchecked()).as("but that it is not known yet is said, with the next try")
        .containsExactly(Map.entry("NAS", clock.instant().plus(PassphraseCheck.RETRY_AFTER)));
    LocalTimeText berlin = new LocalTimeText(ZoneId.of("Europe/Berlin"));
    assertThat(check.notChecked(berlin.inLog())).as("its next try in TIME_ZONE, as every message says a time, not as a UTC instant")
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("NAS", "not known yet")
        .contains("tried again from " + berlin.inLog().of(clock.instant().plus(PassphraseCheck.RETRY_AFTER)) + ", every")
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
    Files.move(unmounted, nas);
    clock.advance(PassphraseCheck.RETRY_AFTER.minusSeconds(1));
    check.checkWhenDue("NAS");
    assertThat(check.unopened()).as("not due yet: a lane runs every minute, the destination is not read every minute").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    check.checkWhenDue("NAS");

    assertThat(check.unopened()).containsExactly("NAS");
    assertThat(check.unchecked()).as("checked now").isEmpty();
    assertThat(check.notChecked(TestTimes.UTC)).isEmpty();
    assertThat(PassphraseCheck.RETRY_AFTER).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aDestinationCheckedOnceIsNotReadAgainInTheSameStart() throws Exception {
    OffsiteTargets targets = nasHolding(encrypted("right"));
    PassphraseCheck check = new PassphraseCheck(targets, new OpenPgpArchiveCipher("right".toCharArray()), clock);
    check.checkWhenDue("NAS");
    // the copy is replaced by one the passphrase does not open: a start's check is made once, not at each run
    Files.write(dir.resolve("nas").resolve(KEY), encrypted("other"));
    clock.advance(Duration.ofDays(1));

    check.checkWhenDue("NAS");

    assertThat(check.problem()).isEmpty();
  }
}
