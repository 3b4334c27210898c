package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.destination.DestinationRules;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisSftpHomes;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** An SFTP /~/ path and the absolute path of the same folder are one place once a connection told where the home is. */
class SftpHomesTest {
  private static final URI FROM_HOME = URI.create("sftp://backup@NAS.lan/~/checkpoint");
  private static final URI ABSOLUTE = URI.create("sftp://backup@nas.lan:22/volume1/homes/backup/checkpoint");

  private static Map<String, String> env() {
    String pin = "SHA256:" + "A".repeat(43);
    return Map.of("OFFSITE_NAS_URL", FROM_HOME.toString(), "OFFSITE_NAS_ENCRYPT", "false", "OFFSITE_NAS_PASSWORD", "x", "OFFSITE_NAS_HOST_KEY", pin,
        "OFFSITE_ARCHIVE_URL", ABSOLUTE.toString(), "OFFSITE_ARCHIVE_ENCRYPT", "false", "OFFSITE_ARCHIVE_PASSWORD", "x", "OFFSITE_ARCHIVE_HOST_KEY", pin);
  }

  private static DestinationPlace place(URI url, SftpHomes homes) {
    return DestinationPlace.of(url, "", "OFFSITE_X_URL", homes);
  }

  /** A destination of the environment's variables, as its adapter is given it. */
  private static DestinationConfig variables(String name, URI url) {
    return new DestinationConfig(name, url, Map.of(), DestinationConfig.DEFAULT_TIMEOUT);
  }

  /** A destination added in Settings, as its adapter is given it: its settings named as the form's and the API's fields. */
  private static DestinationConfig addedInSettings(String name, URI url) {
    return new DestinationConfig(name, url, Map.of(), DestinationConfig.DEFAULT_TIMEOUT, OffsiteSettings::field);
  }

  private static DestinationRules.Plain managed(String name, URI url) {
    return new DestinationRules.Plain(name, Map.of("URL", url.toString(), "ENCRYPT", "false", "PASSWORD", "x", "HOST_KEY", "SHA256:" + "A".repeat(43)));
  }

  @Test
  void aHomePathIsItsOwnPlaceUntilTheServerSaidWhereTheHomeIs() {
    SftpHomes homes = new SftpHomes();

    assertThat(place(FROM_HOME, homes).overlaps(place(ABSOLUTE, homes))).isFalse();
  }

  @Test
  void onceTheHomeIsKnownAHomePathIsThePlaceOfItsAbsolutePathAndOfWhatIsAroundIt() throws Exception {
    SftpHomes homes = new SftpHomes();

    homes.learned(variables("NAS", FROM_HOME), "/volume1/homes/backup");

    assertThat(place(FROM_HOME, homes).overlaps(place(ABSOLUTE, homes))).isTrue();
    assertThat(place(FROM_HOME, homes).overlaps(place(URI.create("sftp://backup@nas.lan/volume1/homes"), homes))).isTrue();
    assertThat(place(FROM_HOME, homes).overlaps(place(URI.create("sftp://backup@nas.lan/volume1/homes/backup/other"), homes))).isFalse();
    assertThat(place(URI.create("sftp://other@nas.lan/~/checkpoint"), homes).overlaps(place(ABSOLUTE, homes)))
        .as("another user's home is not known").isFalse();
  }

  @Test
  void aDestinationInUseThatLearnsItsHomeIsAnotherDestinationsFolderIsRefusedNamingIt() throws Exception {
    SftpHomes homes = new SftpHomes();
    OffsiteSettings settings = OffsiteSettings.read(env(), false, List.of(), homes);
    homes.inUse(settings::targets);
    assertThat(settings.disabled()).as("at start the home is not known: both are used").isEmpty();

    assertThatThrownBy(() -> homes.learned(variables("NAS", FROM_HOME), "/volume1/homes/backup")).isInstanceOf(DestinationException.class)
        .hasMessageContaining("OFFSITE_NAS_URL's /~/ is /volume1/homes/backup").hasMessageContaining("OFFSITE_ARCHIVE_URL")
        .satisfies(e -> assertThat(((DestinationException) e).problem()).isEqualTo(DestinationException.Problem.REFUSED));
    homes.learned(variables("NAS", FROM_HOME), "/home/backup"); // another home: no one else's folder
  }

  @Test
  void aDestinationAddedInSettingsThatLearnsItsHomeIsAnotherDestinationsFolderIsRefusedNamingItsFieldsNotVariables() throws Exception {
    SftpHomes homes = new SftpHomes();
    URI settingsHome = URI.create("sftp://backup@nas.lan/~/checkpoint");
    DestinationRules.Resolved added = OffsiteSettings.readManaged(Map.of(), false, List.of(),
        List.of(managed("NAS", settingsHome), managed("ARCHIVE", ABSOLUTE)), homes);
    homes.inUse(added::targets);
    assertThat(added.disabled()).as("at the check the home is not known: both are used").isEmpty();

    assertThatThrownBy(() -> homes.learned(addedInSettings("NAS", settingsHome), "/volume1/homes/backup")).isInstanceOf(DestinationException.class)
        .hasMessageStartingWith("The /~/ in the url of destination NAS (added in Settings) is /volume1/homes/backup on that server")
        .hasMessageContaining("the place of destination ARCHIVE (added in Settings)")
        .hasMessageNotContaining("OFFSITE_");
  }

  @Test
  void aDestinationAddedInSettingsInTheFolderOfOneOfTheEnvironmentsNamesThatOnesVariable() throws Exception {
    SftpHomes homes = new SftpHomes();
    URI settingsHome = URI.create("sftp://backup@nas.lan/~/checkpoint");
    Map<String, String> env = Map.of("OFFSITE_ARCHIVE_URL", ABSOLUTE.toString(), "OFFSITE_ARCHIVE_ENCRYPT", "false", "OFFSITE_ARCHIVE_PASSWORD", "x",
        "OFFSITE_ARCHIVE_HOST_KEY", "SHA256:" + "A".repeat(43));
    OffsiteSettings environment = OffsiteSettings.read(env, false, List.of(), homes);
    DestinationRules.Resolved added = OffsiteSettings.readManaged(env, false, List.of(), List.of(managed("NAS", settingsHome)), homes);
    homes.inUse(() -> java.util.stream.Stream.concat(environment.targets().stream(), added.targets().stream()).toList());

    assertThatThrownBy(() -> homes.learned(addedInSettings("NAS", settingsHome), "/volume1/homes/backup")).isInstanceOf(DestinationException.class)
        .hasMessageStartingWith("The /~/ in the url of destination NAS (added in Settings) is /volume1/homes/backup")
        .hasMessageContaining("the place of OFFSITE_ARCHIVE_URL");
  }

  @Test
  void aDestinationAddedAfterTheHomeWasLearnedIsRefusedAtItsCheck() throws Exception {
    SftpHomes homes = new SftpHomes();
    homes.learned(variables("NAS", FROM_HOME), "/volume1/homes/backup");

    OffsiteSettings settings = OffsiteSettings.read(env(), false, List.of(), homes);

    assertThat(settings.disabled()).containsKey("NAS");
    assertThat(settings.disabled().get("NAS")).contains("is the place of OFFSITE_ARCHIVE_URL");
  }

  /** The restart: a home learned by the last process is known at the check of the settings, before any connection. */
  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void aHomeLearnedBeforeARestartIsKnownAtStartAndBothDestinationsAtThatFolderAreOffNamingEachOther(Dialect dialect, @TempDir Path dir)
      throws Exception {
    try (Database database = MigratedDatabase.open(dialect, dir)) {
      SftpHomes before = new SftpHomes(new MyBatisSftpHomes(database, MovableClock.ticking()));
      before.learned(variables("NAS", FROM_HOME), "/volume1/homes/backup");

      OffsiteSettings settings = OffsiteSettings.read(env(), false, List.of(), new SftpHomes(new MyBatisSftpHomes(database, MovableClock.ticking())));

      assertThat(settings.targets()).isEmpty();
      assertThat(settings.disabled().get("NAS")).contains("OFFSITE_NAS_URL is the place of OFFSITE_ARCHIVE_URL");
      assertThat(settings.disabled().get("ARCHIVE")).contains("OFFSITE_ARCHIVE_URL is the place of OFFSITE_NAS_URL");
    }
  }

  @Test
  void aHomeThatMovedOnTheServerReplacesTheOneKept(@TempDir Path dir) throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir)) {
      MyBatisSftpHomes kept = new MyBatisSftpHomes(database, MovableClock.ticking());
      new SftpHomes(kept).learned(variables("NAS", FROM_HOME), "/volume1/homes/backup");

      new SftpHomes(kept).learned(variables("NAS", URI.create("sftp://backup@nas.lan:22/~/elsewhere")), "/home/backup");

      assertThat(kept.findAll()).containsExactly(Map.entry("backup@nas.lan:22", "/home/backup"));
    }
  }
}
