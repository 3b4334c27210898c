package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The check an add or a rename makes under the database's lock (two nodes adding at once) compares names as the service
 * does, by a full case folding: neither database's LOWER() took "Straße" for "STRASSE" (SQLite's folds ASCII only).
 */
class InstanceNameTakenTest {
  @TempDir
  Path dir;

  private static InstanceDefinition named(String name) {
    return new InstanceDefinition(null, name, "http://10.0.0.1", TlsTrust.SYSTEM, null, Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true);
  }

  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void namesEqualUnderFullCaseFoldingAreTakenInTheDatabasesOwnCheck(Dialect dialect) {
    try (Database database = MigratedDatabase.open(dialect, dir)) {
      MyBatisInstanceRepository repository = new MyBatisInstanceRepository(database, Clock.systemUTC());
      InstanceRepository.SealedSecrets none = new InstanceRepository.SealedSecrets(null, null);
      long street = repository.insertUnlessNameTaken(named("Straße"), none).orElseThrow();
      long info = repository.insertUnlessNameTaken(named("İnfo"), none).orElseThrow();

      assertThat(repository.insertUnlessNameTaken(named("STRASSE"), none)).isEqualTo(OptionalLong.empty());
      assertThat(repository.insertUnlessNameTaken(named("info"), none)).isEqualTo(OptionalLong.empty());
      assertThat(repository.updateUnlessNameTaken(info, named("strasse"), new InstanceRepository.SecretChange(null, null, false, false))).isFalse();
      assertThat(repository.updateUnlessNameTaken(street, named("STRASSE"), new InstanceRepository.SecretChange(null, null, false, false)))
          .as("its own name, in another case").isTrue();
      assertThat(repository.insertUnlessNameTaken(named("Strasse 2"), none)).isPresent();
    }
  }
}
