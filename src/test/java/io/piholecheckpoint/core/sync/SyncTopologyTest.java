package io.piholecheckpoint.core.sync;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.RestoreMode;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncTopologyTest {
  private final List<PiholeInstance> instances = instances("A", "B", "C", "D");

  private static List<PiholeInstance> instances(String... prefixes) {
    InstanceService service = TestInstances.service(new InMemoryInstanceRepository());
    service.applyEnvironment(java.util.Arrays.stream(prefixes).map(p -> aDefinition(p, "http://" + p.toLowerCase() + ".lan")).toList());
    return service.list();
  }

  private static SyncGroup group(String name, String primary, String... replicas) {
    return new SyncGroup(name, primary, List.of(replicas), RestoreMode.LISTS, Set.of(), false, null, SyncGroup.Snapshot.FIRST);
  }

  @Test
  void acceptsGroupsThatShareAPrimaryAndFindsInstancesByPrefixOrName() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "pi-hole a", "pi-hole c")), instances)).isEmpty();
  }

  @Test
  void refusesAReplicaInTwoGroupsNamingTheVariable() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "C", "B")), instances))
        .containsOnlyKeys("TWO").extractingByKey("TWO").asString().startsWith("SYNC_TWO_REPLICAS: 'B' is already a replica in group ONE");
  }

  @Test
  void refusesAChainAndAPrimaryThatIsItsOwnReplica() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "B", "C")), instances))
        .containsOnlyKeys("TWO").extractingByKey("TWO").asString().startsWith("SYNC_TWO_PRIMARY: 'B' is a replica in group ONE");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "C"), group("TWO", "B", "A")), instances))
        .extractingByKey("TWO").asString().startsWith("SYNC_TWO_REPLICAS: 'A' is the primary of group ONE");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "A")), instances)).extractingByKey("ONE").asString().contains("is the group's primary");
  }

  @Test
  void refusesAnUnknownInstance() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "Z", "B"), group("TWO", "A", "Y")), instances))
        .containsOnlyKeys("ONE", "TWO").extractingByKey("ONE").asString().startsWith("SYNC_ONE_PRIMARY: no Pi-hole 'Z'");
  }
}
