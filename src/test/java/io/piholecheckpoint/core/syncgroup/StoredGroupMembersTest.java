package io.piholecheckpoint.core.syncgroup;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a stored group whose members are not what the Sync page stores says is wrong with it. */
class StoredGroupMembersTest {
  private final InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
  private final List<ManagedSyncGroup> stored = new ArrayList<>();

  @Test
  void aPrimaryStoredByNameNotIdSaysSoNotThatAPiholeWasDeleted() {
    instances.applyEnvironment(List.of(aDefinition("HOME", "http://pi.hole"), aDefinition("LAB", "http://lab.lan")));
    long lab = instances.list().stream().filter(i -> i.envPrefix().equals("LAB")).findFirst().orElseThrow().id();
    stored.add(new ManagedSyncGroup("BYNAME", Map.of("PRIMARY", "Home", "REPLICAS", Long.toString(lab), "SNAPSHOT", "never")));
    stored.add(new ManagedSyncGroup("GONE", Map.of("PRIMARY", "999", "REPLICAS", Long.toString(lab), "SNAPSHOT", "never")));

    Map<String, String> disabled = service().resolve(instances.list()).disabled();

    assertThat(disabled.get("BYNAME")).contains("primary: the stored value 'Home' is not a Pi-hole's id").doesNotContain("deleted")
        .contains("Sync page");
    assertThat(disabled.get("GONE")).as("an id of none is still a deleted Pi-hole").contains("the Pi-hole #999 was deleted");
  }

  @Test
  void aStoredWhenQuartzCannotReadIsToldInTheAppsOwnWords() {
    instances.applyEnvironment(List.of(aDefinition("HOME", "http://pi.hole"), aDefinition("LAB", "http://lab.lan")));
    List<String> ids = instances.list().stream().map(i -> Long.toString(i.id())).toList();
    stored.add(new ManagedSyncGroup("EVERY", Map.of("PRIMARY", ids.get(0), "REPLICAS", ids.get(1), "SNAPSHOT", "never", "WHEN", "* * * * * * *")));

    SyncGroupService service = new SyncGroupService(new Stored(), new SyncGroups(List.of(), Map.of(), instances), instances,
        new io.piholecheckpoint.scheduling.QuartzFireTimes(java.time.ZoneOffset.UTC, java.time.Clock.systemUTC()), () -> { });

    assertThat(service.resolve(instances.list()).disabled().get("EVERY")).contains("its day-of-month field '*' and day-of-week field '*'")
        .doesNotContain("not implemented");
  }

  private SyncGroupService service() {
    return new SyncGroupService(new Stored(), new SyncGroups(List.of(), Map.of(), instances), instances, (schedule, count) -> List.of(),
        () -> { });
  }

  /** The groups as stored, read only. */
  private final class Stored implements SyncGroupRepository {
    @Override
    public List<ManagedSyncGroup> findAll() {
      return List.copyOf(stored);
    }

    @Override
    public Optional<ManagedSyncGroup> find(String name) {
      return stored.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    @Override
    public long changes() {
      return stored.size();
    }

    @Override
    public boolean add(ManagedSyncGroup group) {
      throw new UnsupportedOperationException("read only");
    }

    @Override
    public boolean save(ManagedSyncGroup group) {
      throw new UnsupportedOperationException("read only");
    }

    @Override
    public Deletion delete(String name) {
      throw new UnsupportedOperationException("read only");
    }
  }
}
