package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.testing.UnitRunTries;
import java.time.Clock;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Secrets are compared by digest: a change of the password, the app password or the 2FA secret
 * between two real archives is listed and named, and no output holds either value.
 */
@AddLifecycleHook(UnitRunTries.class)
class SecretChangesTest {
  private static final String TOTP = "JBSWY3DPEHPK3PXPTOTPINARCHIVE";
  private static final String OTHER_TOTP = "KRSXG5CTMVRXEZLUNOTTHESAMEONE";
  private static final String PWHASH = "$BALLOON-SHA256$v=1$s=1024,t=32$c2VjcmV0c2FsdA==$bm90LXRoZS1maXh0dXJlcy1oYXNo";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());

  @Test
  void aDiffOfArchivesThatDifferOnlyInThe2faSecretNamesItAndShowsNeitherValue() throws Exception {
    byte[] before = TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", TOTP);
    byte[] after = TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", OTHER_TOTP);

    ContentDiff diff = diff(before, after);

    assertThat(diff.settings()).containsExactly(
        new ContentDiff.SettingChange("webserver.api.totp_secret", ArchiveContents.MASK, ArchiveContents.CHANGED, "2FA secret changed"));
    assertThat(diff.summary()).isEqualTo("2FA secret changed");
    assertThat(rendered(diff)).doesNotContain(TOTP, OTHER_TOTP);
  }

  @Test
  void switching2faOnAndOffIsNamedSo() throws Exception {
    byte[] off = Fixtures.archiveA();
    byte[] on = TestArchives.withSetting(off, "totp_secret", TOTP);

    assertThat(diff(off, on).summary()).isEqualTo("2FA enabled");
    assertThat(diff(on, off).summary()).isEqualTo("2FA disabled");
    assertThat(diff(off, on).settings().get(0)).extracting(ContentDiff.SettingChange::before, ContentDiff.SettingChange::after)
        .containsExactly(ArchiveContents.UNSET, ArchiveContents.MASK);
  }

  @Test
  void aChangedPasswordHashIsNamedWithoutItsValue() throws Exception {
    byte[] after = TestArchives.withSetting(Fixtures.archiveA(), "pwhash", PWHASH);

    ContentDiff diff = diff(Fixtures.archiveA(), after);

    assertThat(diff.summary()).isEqualTo("password changed");
    assertThat(diff.settings()).extracting(ContentDiff.SettingChange::key).containsExactly("webserver.api.pwhash");
    assertThat(rendered(diff)).doesNotContain(PWHASH, "$BALLOON");
  }

  @Test
  void anAppPasswordThatAppearsIsNamed() throws Exception {
    byte[] after = TestArchives.withSetting(Fixtures.archiveA(), "app_pwhash", PWHASH);

    ContentDiff diff = diff(Fixtures.archiveA(), after);

    assertThat(diff.settings()).extracting(ContentDiff.SettingChange::key, ContentDiff.SettingChange::note)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("webserver.api.app_pwhash", "app password set"));
    assertThat(rendered(diff)).doesNotContain(PWHASH);
  }

  @Test
  void theSameSecretTwiceIsNoChange() throws Exception {
    byte[] archive = TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", TOTP);

    assertThat(diff(archive, TestArchives.reexported(archive)).empty()).isTrue();
  }

  @Test
  void theContentsShowWhetherASecretIsSetButNeverItsValue() throws Exception {
    ArchiveSettings settings = reader.settings(file(TestArchives.withSetting(Fixtures.archiveA(), "app_pwhash", PWHASH)));

    assertThat(settings.settings()).containsEntry("webserver.api.pwhash", ArchiveContents.MASK)
        .containsEntry("webserver.api.app_pwhash", ArchiveContents.MASK).containsEntry("webserver.api.totp_secret", ArchiveContents.UNSET);
    assertThat(settings.toString()).doesNotContain(PWHASH, "$BALLOON");
    assertThatThrownBy(() -> JSON.writeValueAsString(settings.secrets())).as("the digests have nothing a serialiser could write")
        .isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidDefinitionException.class);
  }

  /**
   * Over every secret key and any two values: the diff is non-empty exactly when they differ, and
   * neither value appears in the diff, its JSON or its summary.
   */
  @Property(tries = 150)
  void aSecretDiffersExactlyWhenItsValueDoesAndNeverShows(@ForAll("secretKeys") String key, @ForAll("secrets") String old,
                                                          @ForAll("secrets") String now) throws Exception {
    ContentDiff diff = ContentDiff.of(Map.of(), settings(key, old), settings(key, now), Page.DEFAULT_SIZE);

    assertThat(diff.empty()).isEqualTo(old.equals(now));
    String shown = rendered(diff) + diff.summary();
    for (String value : new String[] {old, now}) {
      if (!value.isEmpty()) {
        assertThat(shown).doesNotContain(value);
      }
    }
  }

  @Provide
  Arbitrary<String> secretKeys() {
    return Arbitraries.of("totp_secret", "pwhash", "app_pwhash");
  }

  /** Empty (unset) often; otherwise long enough that it cannot occur in the words of a diff by chance. */
  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(TOTP, OTHER_TOTP)),
        net.jqwik.api.Tuple.of(3, Arbitraries.strings().withCharRange('!', '~').excludeChars('"', '\\').ofMinLength(12).ofMaxLength(60)));
  }

  private ArchiveSettings settings(String key, String value) throws Exception {
    Path file = file(TestArchives.withSetting(Fixtures.archiveA(), key, value));
    try {
      return reader.settings(file);
    } finally {
      Files.delete(file);
    }
  }

  private ContentDiff diff(byte[] before, byte[] after) throws Exception {
    return reader.diff(file(before), file(after), Page.DEFAULT_SIZE);
  }

  private static Path file(byte[] archive) throws Exception {
    Path file = Files.createTempFile("secret-", ".zip");
    file.toFile().deleteOnExit();
    return Files.write(file, archive);
  }

  /** As the API writes it, and as a log line or a template would print it. */
  private static String rendered(ContentDiff diff) throws Exception {
    return JSON.writeValueAsString(diff) + diff;
  }
}
