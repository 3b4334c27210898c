package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.testing.TestInstances;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyncSettingsTest {

  private static SyncSettings read(Map<String, String> env) {
    return SyncSettings.read(env, TestInstances.fireTimes());
  }

  @Test
  void aGroupWithOnlyItsPrimaryAndReplicasTakesTheDefaults() {
    SyncSettings settings = read(Map.of("SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE, TWO ,"));

    SyncGroup group = settings.groups().get(0);
    assertThat(group.id()).isEqualTo("home");
    assertThat(group.primary()).isEqualTo("MAIN");
    assertThat(group.replicas()).containsExactly("ONE", "TWO");
    assertThat(group.mode()).isEqualTo(RestoreMode.LISTS_AND_DNS);
    assertThat(group.excludedSettings()).isEmpty();
    assertThat(group.keepReplicaDns()).isFalse();
    assertThat(group.afterBackup()).isTrue();
    assertThat(group.snapshot()).isEqualTo(SyncGroup.Snapshot.FIRST);
    assertThat(group.staleAfter()).as("the default, tied to WHEN").isNull();
    assertThat(settings.disabled()).isEmpty();
    assertThat(settings.warnings()).isEmpty();
  }

  @Test
  void aReplicaListedTwiceIsSyncedOnce() {
    SyncGroup group = read(Map.of("SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "R1, ,r1,R2")).groups().get(0);

    assertThat(group.replicas()).containsExactly("R1", "R2");
  }

  @Test
  void readsEverySetting() {
    SyncGroup group = read(Map.of("SYNC_LAN_PRIMARY", "Main Pi", "SYNC_LAN_REPLICAS", "Second", "SYNC_LAN_MODE", "all-but-identity",
        "SYNC_LAN_EXCLUDE_SETTINGS", "dns.upstreams, dns.rateLimit", "SYNC_LAN_KEEP_REPLICA_DNS", "true", "SYNC_LAN_WHEN", "*/15 * * * *",
        "SYNC_LAN_SNAPSHOT", "never", "SYNC_LAN_STALE_AFTER", "36h")).groups().get(0);

    assertThat(group.mode()).isEqualTo(RestoreMode.ALL_BUT_IDENTITY);
    assertThat(group.excludedSettings()).isEqualTo(Set.of("dns.upstreams", "dns.rateLimit"));
    assertThat(group.keepReplicaDns()).isTrue();
    assertThat(group.when().kind()).isEqualTo(Schedule.Kind.CRON);
    assertThat(group.snapshot()).isEqualTo(SyncGroup.Snapshot.NEVER);
    assertThat(group.staleAfter()).isEqualTo(java.time.Duration.ofHours(36));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MODE|exact|SYNC_BAD_MODE=exact is refused",
      "MODE|everything|SYNC_BAD_MODE='everything' must be lists, lists-and-dns or all-but-identity",
      "WHEN|0 0 31 2 *|SYNC_BAD_WHEN='0 0 31 2 *'",
      "WHEN|weekly-ish|SYNC_BAD_WHEN",
      "WHEN|* * * * * ?|SYNC_BAD_WHEN='* * * * * ?' runs more often than once a minute",
      "WHEN|0/30 * * * * ?|SYNC_BAD_WHEN='0/30 * * * * ?' runs more often than once a minute",
      "SNAPSHOT|sometimes|SYNC_BAD_SNAPSHOT='sometimes' must be first, always or never",
      "KEEP_REPLICA_DNS|yes please|SYNC_BAD_KEEP_REPLICA_DNS",
      "EXCLUDE_SETTINGS|dns upstreams|SYNC_BAD_EXCLUDE_SETTINGS: 'dns upstreams'",
      "REPLICAS|' , '|SYNC_BAD_REPLICAS is missing",
      "STALE_AFTER|soon|SYNC_BAD_STALE_AFTER='soon' is not a duration",
      "STALE_AFTER|PT999999999999999H|SYNC_BAD_STALE_AFTER='PT999999999999999H' is not a duration of at most 3650 days"})
  void aBadValueDisablesItsGroupAloneNamingTheVariable(String suffix, String value, String message) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("SYNC_BAD_PRIMARY", "MAIN", "SYNC_BAD_REPLICAS", "ONE",
        "SYNC_GOOD_PRIMARY", "MAIN", "SYNC_GOOD_REPLICAS", "TWO"));
    env.put("SYNC_BAD_" + suffix, value);

    SyncSettings settings = read(env);

    assertThat(settings.disabled()).containsOnlyKeys("BAD");
    assertThat(settings.disabled().get("BAD")).contains(message);
    assertThat(settings.groups()).extracting(SyncGroup::name).containsExactly("GOOD");
  }

  @Test
  void warnsOfVariablesThatConfigureNothing() {
    SyncSettings settings = read(Map.of("SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE", "SYNC_HOME_MDOE", "lists",
        "SYNC_OFFICE_REPLICAS", "TWO", "SYNC_home_PRIMARY", "MAIN"));

    assertThat(settings.warnings()).containsExactly(
        "SYNC_HOME_MDOE is not a setting of Pi-hole Checkpoint (see SYNC_<GROUP>_… in the README); it is ignored",
        "SYNC_OFFICE_REPLICAS belongs to no sync group: there is no SYNC_OFFICE_PRIMARY; it is ignored",
        "SYNC_home_PRIMARY names no sync group: a group's name is upper-case letters, digits and _, starting with a letter"
            + " (SYNC_HOME_PRIMARY); it is ignored");
  }

  @Test
  void everyVariableTheReadmeDocumentsIsRead() throws Exception {
    java.util.regex.Matcher documented = java.util.regex.Pattern.compile("\\| `SYNC_<GROUP>_([A-Z_]+)` \\|")
        .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("README.md")));
    Map<String, String> env = new java.util.HashMap<>();
    while (documented.find()) {
      env.put("SYNC_HOME_" + documented.group(1), "");
    }
    env.put("SYNC_HOME_PRIMARY", "MAIN");
    env.put("SYNC_HOME_REPLICAS", "ONE");

    SyncSettings settings = read(env);

    assertThat(env).hasSize(8);
    assertThat(settings.warnings()).isEmpty();
    assertThat(settings.groups()).hasSize(1);
  }

  /** The outsider's case: a typo disables A (MAIN → OFFICE); its reverse B (OFFICE → MAIN) must not run and make MAIN like OFFICE. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"WHEN|0 0 30 2 *", "STALE_AFTER|0s", "WHEN|* * * * * ?", "MODE|exact"})
  void aGroupDisabledForABadValueKeepsTheReverseGroupOff(String suffix, String value) {
    SyncSettings settings = read(Map.of("SYNC_A_PRIMARY", "MAIN", "SYNC_A_REPLICAS", "OFFICE", "SYNC_A_" + suffix, value,
        "SYNC_B_PRIMARY", "OFFICE", "SYNC_B_REPLICAS", "MAIN"));
    io.piholecheckpoint.core.registry.InstanceService instances = TestInstances.service(new io.piholecheckpoint.testing.InMemoryInstanceRepository());
    instances.applyEnvironment(java.util.List.of(TestInstances.aDefinition("MAIN", "http://main.lan"),
        TestInstances.aDefinition("OFFICE", "http://office.lan")));

    SyncGroups groups = new SyncGroups(settings.groups(), settings.disabled(), settings.disabledMembers(), instances);

    assertThat(groups.groups()).as("neither runs").isEmpty();
    assertThat(groups.disabled()).containsOnlyKeys("A", "B");
    assertThat(groups.disabled().get("A")).as("A keeps its own reason").startsWith("SYNC_A_" + suffix);
    assertThat(groups.disabled().get("B")).startsWith("SYNC_B_REPLICAS: 'MAIN' is the primary of group A").contains("both groups are off");
  }

  /** /health showed "not known (the group is disabled)" for such a group: it names the primary it was given, as README says. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"WHEN|bogus|MAIN|", "STALE_AFTER|0s|MAIN|", "WHEN|bogus|NOPE|'NOPE', no such Pi-hole"})
  void aGroupDisabledForABadValueNamesItsPrimary(String suffix, String value, String primary, String named) {
    SyncSettings settings = read(Map.of("SYNC_G1_PRIMARY", primary, "SYNC_G1_REPLICAS", "OFFICE", "SYNC_G1_" + suffix, value));
    io.piholecheckpoint.core.registry.InstanceService instances = TestInstances.service(new io.piholecheckpoint.testing.InMemoryInstanceRepository());
    instances.applyEnvironment(java.util.List.of(TestInstances.aDefinition("MAIN", "http://main.lan"),
        TestInstances.aDefinition("OFFICE", "http://office.lan")));

    SyncGroups groups = new SyncGroups(settings.groups(), settings.disabled(), settings.disabledMembers(), instances);

    assertThat(groups.disabled()).containsOnlyKeys("G1");
    String expected = named != null ? named : instances.list().stream().filter(i -> "MAIN".equals(i.envPrefix())).findFirst().orElseThrow().name();
    assertThat(groups.primaryOf("G1", false)).contains(expected);
  }
}
