package io.piholecheckpoint.core.sync.groups;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncGroupsTest {
  private final InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());

  private static SyncGroups.Added added(SyncGroups.Resolution resolution) {
    return new SyncGroups.Added() {
      @Override
      public SyncGroups.Resolution resolve(List<PiholeInstance> all) {
        return resolution;
      }

      @Override
      public boolean none() {
        return false;
      }

      @Override
      public long changes() {
        return 0;
      }
    };
  }

  /**
   * The outsider's case: G1 of the environment names a Pi-hole deleted, and so does g1 added here (whose name the
   * environment takes): each says its own reason, and every group is named by an id scripts can use.
   */
  @Test
  void aGroupAddedHereWhoseNameTheEnvironmentTakesKeepsItsOwnReasonAndTheIdsAreIds() {
    instances.applyEnvironment(List.of(aDefinition("PB", "http://pb.lan")));
    SyncGroup environment = new SyncGroup("G1", "PD", List.of("PE"), RestoreMode.LISTS, Set.of(), false, null, SyncGroup.Snapshot.FIRST);
    SyncGroups groups = new SyncGroups(List.of(environment), Map.of(), instances);
    groups.useAdded(added(new SyncGroups.Resolution(List.of(), Map.of("G1", "primary: the Pi-hole #1 was deleted"),
        List.of(new SyncMembers("G1", null, List.of("PB"))))));

    assertThat(groups.disabled()).containsOnlyKeys("G1").extractingByKey("G1").asString().startsWith("SYNC_G1_PRIMARY: no Pi-hole 'PD'");
    assertThat(groups.disabledAddedHere()).containsOnlyKeys("G1").extractingByKey("G1").asString().isEqualTo("primary: the Pi-hole #1 was deleted");
    assertThat(groups.disabledById()).containsOnlyKeys("g1");
    assertThat(groups.disabledAddedHereById()).containsOnlyKeys("g1");
  }
}
