package io.piholecheckpoint.core.sync.groups;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
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
    Map<String, String> refused = SyncTopology.refusals(List.of(group("ONE", "A", "B")), List.of(), List.of(group("two", "C", "B")), List.of(), instances,
        Set.of(), (group, suffix) -> group + "." + suffix);

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

  /** The outsider's case: A (MAIN → OFFICE) is off for a typo in its WHEN; B (OFFICE → MAIN) must not run and overwrite MAIN. */
  @Test
  void aGroupDisabledForABadValueStillKeepsItsPiholesFromTheReverseGroup() {
    Map<String, String> refused = SyncTopology.refusals(List.of(group("B", "B", "A")), List.of(new SyncMembers("A", "A", List.of("B"))), List.of(),
        List.of(), instances, Set.of(), (group, suffix) -> "SYNC_" + group + "_" + suffix);

    assertThat(refused).containsOnlyKeys("B").extractingByKey("B").asString()
        .startsWith("SYNC_B_REPLICAS: 'A' is the primary of group A").contains("both groups are off");
  }

  @Test
  void aGroupOfTheEnvironmentThatNamesAnUnknownPiholeStillKeepsTheOthersItNames() {
    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B", "Z"), group("TWO", "C", "B")), instances)).containsOnlyKeys("ONE", "TWO");
  }

  @Test
  void aGroupAddedHereThatIsDisabledKeepsThePiholesItStillNamesFromTheOthersAddedHere() {
    // g1 (Pa deleted → B) is disabled; two (C → B) would make B follow two primaries once g1 is mended
    Map<String, String> refused = SyncTopology.refusals(List.of(), List.of(), List.of(group("TWO", "C", "B")),
        List.of(new SyncMembers("G1", null, List.of("B"))), instances, Set.of(), (group, suffix) -> suffix.toLowerCase());

    assertThat(refused).containsOnlyKeys("TWO").extractingByKey("TWO").asString().startsWith("replicas: 'B' is already a replica in group G1");
  }

  @Test
  void aClashWithAnotherRecordOfTheSameAddressNamesThatGroupsOwnPihole() {
    InstanceService service = TestInstances.service(new InMemoryInstanceRepository());
    service.applyEnvironment(List.of(aDefinition("A", "http://a.lan"), aDefinition("B", "http://b.lan"), aDefinition("C", "http://c.lan"),
        aDefinition("E", "http://a.lan/")));
    List<PiholeInstance> pis = service.list();

    assertThat(SyncTopology.refusals(List.of(group("ONE", "A", "B")), List.of(), List.of(group("TWO", "C", "E")), List.of(), pis,
        Set.of(), (group, suffix) -> suffix.toLowerCase())).extractingByKey("TWO").asString()
        .startsWith("replicas: 'E' is the primary of group ONE, as 'A' (the same Pi-hole by address, http://a.lan)");
  }

  /**
   * Over random groups, some disabled already: no group runs that clashes with another declared group, running or not,
   * but where the README says which wins (the environment's over one added here, and among those added here a running
   * one over one that sorts after it).
   */
  @Test
  void noGroupRunsThatClashesWithAnyDeclaredGroup() {
    List<String> urls = List.of("http://a.lan", "http://b.lan", "http://c.lan", "http://d.lan", "http://e.lan");
    for (long seed = 1; seed <= 400; seed++) {
      java.util.Random random = new java.util.Random(seed);
      InstanceService service = TestInstances.service(new InMemoryInstanceRepository());
      List<InstanceDefinition> definitions = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        definitions.add(aDefinition("P" + i, urls.get(random.nextInt(urls.size()))));
      }
      service.applyEnvironment(definitions);
      List<PiholeInstance> pis = service.list();
      List<SyncGroup> environment = new ArrayList<>();
      List<SyncMembers> environmentDisabled = new ArrayList<>();
      List<SyncGroup> added = new ArrayList<>();
      List<SyncMembers> addedDisabled = new ArrayList<>();
      List<SyncMembers> declared = new ArrayList<>();
      int groups = 1 + random.nextInt(5);
      for (int g = 0; g < groups; g++) {
        String name = "G" + g;
        // P6 is no Pi-hole: a group that names it is refused, or (disabled already) names one deleted
        String primary = "P" + random.nextInt(7);
        List<String> replicas = java.util.stream.IntStream.range(0, 1 + random.nextInt(2)).mapToObj(r -> "P" + random.nextInt(7)).distinct().toList();
        SyncMembers members = new SyncMembers(name, primary, replicas);
        declared.add(members);
        switch (random.nextInt(4)) {
          case 0 -> environment.add(group(name, primary, replicas.toArray(String[]::new)));
          case 1 -> environmentDisabled.add(members);
          case 2 -> added.add(group(name, primary, replicas.toArray(String[]::new)));
          default -> addedDisabled.add(members);
        }
      }
      Map<String, String> refused = SyncTopology.refusals(environment, environmentDisabled, added, addedDisabled, pis, Set.of(), (group, suffix) -> suffix);

      List<SyncGroup> running = new ArrayList<>(environment);
      running.addAll(added);
      running.removeIf(g -> refused.containsKey(g.name()));
      for (SyncGroup r : running) {
        boolean rFromEnvironment = environment.contains(r);
        for (SyncMembers d : declared) {
          if (d.name().equals(r.name()) || !clash(SyncMembers.of(r), d, pis)) {
            continue;
          }
          boolean dAdded = added.stream().anyMatch(a -> a.name().equals(d.name())) || addedDisabled.contains(d);
          boolean wins = rFromEnvironment ? dAdded
              : added.stream().anyMatch(a -> a.name().equals(d.name())) && r.name().compareTo(d.name()) < 0;
          assertThat(wins).as("seed %d: %s runs beside %s; refused %s", seed, r, d, refused).isTrue();
        }
      }
    }
  }

  /** Whether the Pi-holes two groups name (those that exist) overlap as the README forbids: a replica of both, or a primary of one and a replica of the other. */
  private static boolean clash(SyncMembers one, SyncMembers other, List<PiholeInstance> pis) {
    List<String> oneReplicas = urls(one.replicas(), pis);
    List<String> otherReplicas = urls(other.replicas(), pis);
    oneReplicas.removeAll(urls(List.of(one.primary()), pis));
    otherReplicas.removeAll(urls(List.of(other.primary()), pis));
    return oneReplicas.stream().anyMatch(u -> otherReplicas.contains(u) || urls(List.of(other.primary()), pis).contains(u))
        || otherReplicas.stream().anyMatch(u -> urls(List.of(one.primary()), pis).contains(u));
  }

  private static List<String> urls(List<String> refs, List<PiholeInstance> pis) {
    return new ArrayList<>(refs.stream().flatMap(ref -> pis.stream().filter(p -> ref.equals(p.envPrefix())).map(PiholeInstance::url)).toList());
  }
}
