package io.piholecheckpoint.core.sync.groups;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.RestoreMode;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  void twoEnvironmentGroupsSharingAReplicaAreBothOffEachNamingTheOther() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "C", "B")), instances))
        .containsOnlyKeys("ONE", "TWO")
        .hasEntrySatisfying("TWO", why -> assertThat(why).startsWith("SYNC_TWO_REPLICAS: 'B' is already a replica in group ONE").contains("both groups are off"))
        .hasEntrySatisfying("ONE", why -> assertThat(why).startsWith("SYNC_ONE_REPLICAS: 'B' is already a replica in group TWO"));
  }

  @Test
  void aNewEnvironmentGroupThatSortsFirstDoesNotLeaveTheOneThatWorkedRunningAlone() {
    // the tester's case: BAD (R1 → R2) beside HOME (P → R1, R2): BAD ran and HOME was off
    List<PiholeInstance> pis = instances("P", "R1", "R2");

    assertThat(SyncTopology.refusals(List.of(group("BAD", "R1", "R2"), group("HOME", "P", "R1", "R2")), pis)).containsOnlyKeys("BAD", "HOME");
  }

  @Test
  void refusesAChainAndAPrimaryThatIsItsOwnReplica() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "B", "C")), instances))
        .containsOnlyKeys("ONE", "TWO").extractingByKey("TWO").asString().startsWith("SYNC_TWO_PRIMARY: 'B' is a replica in group ONE");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "C"), group("TWO", "B", "A")), instances))
        .extractingByKey("TWO").asString().startsWith("SYNC_TWO_REPLICAS: 'A' is the primary of group ONE");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "A")), instances)).extractingByKey("ONE").asString().contains("is the group's primary");
  }

  @Test
  void aGroupAddedInTheUiThatClashesIsRefusedAndTheOneBeforeItRuns() {
    Map<String, String> refused = SyncTopology.refusals(List.of(group("ONE", "A", "B")), List.of(group("two", "C", "B")), instances,
        (group, suffix) -> group + "." + suffix);

    assertThat(refused).containsOnlyKeys("two").extractingByKey("two").asString().startsWith("two.REPLICAS: 'B' is already a replica in group ONE");
  }

  @Test
  void twoRecordsOfOneAddressAreOnePiholeWhateverTheTrailingSlashCaseOrDefaultPort() {
    List<PiholeInstance> pis = new ArrayList<>(instances("A", "B", "C"));
    InstanceService service = TestInstances.service(new InMemoryInstanceRepository());
    service.applyEnvironment(List.of(aDefinition("B2", "http://B.lan:80/"), aDefinition("A2", "HTTP://a.LAN")));
    pis.addAll(service.list());

    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "C", "B2")), pis)).containsOnlyKeys("ONE", "TWO");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "A2")), pis)).extractingByKey("ONE").asString()
        .contains("is the group's primary (the same address, http://a.lan)");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "C", "B")), instances("A", "B", "C"))).hasSize(2);
  }

  /** The outsider's case: the primary itself as a replica, reached by another name of the loopback (or with a final dot). */
  @Test
  void aReplicaAtAnotherNameOfThePrimarysAddressIsThePrimary() {
    InstanceService service = TestInstances.service(new InMemoryInstanceRepository());
    service.applyEnvironment(List.of(aDefinition("P", "http://127.0.0.1:8081"), aDefinition("L", "http://localhost:8081/"),
        aDefinition("V6", "http://[::1]:8081"), aDefinition("DOT", "http://LOCALHOST.:8081"), aDefinition("OTHER", "http://127.0.0.2:8081"),
        aDefinition("PORT", "http://localhost:8082"), aDefinition("N", "http://pi.lan"), aDefinition("NDOT", "http://pi.lan.:80/")));
    List<PiholeInstance> pis = service.list();

    for (String alias : List.of("L", "V6", "DOT")) {
      assertThat(SyncTopology.refusals(List.of(group("ONE", "P", alias)), pis)).as(alias).extractingByKey("ONE").asString()
          .contains("'" + alias + "' is the group's primary (the same address, http://127.0.0.1:8081)");
    }
    assertThat(SyncTopology.refusals(List.of(group("ONE", "N", "NDOT")), pis)).extractingByKey("ONE").asString().contains("is the group's primary");
    assertThat(SyncTopology.refusals(List.of(group("ONE", "P", "OTHER", "PORT")), pis)).as("another address, another port").isEmpty();
  }

  @Test
  void aPiholeOnAnotherPortOrPathIsAnotherPihole() {
    List<PiholeInstance> pis = new ArrayList<>(instances("A", "B", "C"));
    InstanceService service = TestInstances.service(new InMemoryInstanceRepository());
    service.applyEnvironment(List.of(aDefinition("B8", "http://b.lan:8080"), aDefinition("BX", "http://b.lan/x")));
    pis.addAll(service.list());

    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B"), group("TWO", "C", "B8", "BX")), pis)).isEmpty();
  }

  @Test
  void refusesAnUnknownInstance() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "Z", "B"), group("TWO", "A", "Y")), instances))
        .containsOnlyKeys("ONE", "TWO").extractingByKey("ONE").asString().startsWith("SYNC_ONE_PRIMARY: no Pi-hole 'Z'");
  }
}
