package io.piholecheckpoint.core.sync;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncOnBackupTest {
  private final InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
  private final List<String> launched = new ArrayList<>();

  private SyncOnBackup listener() {
    instances.applyEnvironment(List.of(aDefinition("MAIN", "http://main.lan"), aDefinition("ONE", "http://one.lan"), aDefinition("TWO", "http://two.lan")));
    SyncGroup afterBackup = new SyncGroup("HOME", "MAIN", List.of("ONE"), RestoreMode.LISTS, Set.of(), false, null, SyncGroup.Snapshot.FIRST);
    SyncGroup hourly = new SyncGroup("LATER", "MAIN", List.of("TWO"), RestoreMode.LISTS, Set.of(), false, Schedule.DEFAULT, SyncGroup.Snapshot.FIRST);
    return new SyncOnBackup(new SyncGroups(List.of(afterBackup, hourly), Map.of(), instances), (group, ticket) -> launched.add(group));
  }

  private PiholeInstance instance(String prefix) {
    return instances.list().stream().filter(i -> i.envPrefix().equals(prefix)).findFirst().orElseThrow();
  }

  private static Backup backup(PiholeInstance of, boolean successful) {
    Instant at = Instant.parse("2026-12-03T03:00:00Z");
    return successful ? Backup.succeeded(of.id(), Backup.Trigger.SCHEDULED, null, false, at, at)
        : Backup.failed(of.id(), Backup.Trigger.SCHEDULED, "unreachable", "gone", at, at);
  }

  @Test
  void aSuccessfulBackupOfAPrimaryStartsEachGroupThatFollowsItsBackupsOnce() {
    SyncOnBackup listener = listener();

    listener.backupFinished(instance("MAIN"), backup(instance("MAIN"), true), Duration.ZERO);

    assertThat(launched).containsExactly("home");
  }

  @Test
  void aFailedBackupOrOneOfAReplicaStartsNothing() {
    SyncOnBackup listener = listener();

    listener.backupFinished(instance("MAIN"), backup(instance("MAIN"), false), Duration.ZERO);
    listener.backupFinished(instance("ONE"), backup(instance("ONE"), true), Duration.ZERO);

    assertThat(launched).isEmpty();
  }
}
