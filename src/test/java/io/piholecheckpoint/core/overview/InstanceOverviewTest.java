package io.piholecheckpoint.core.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.health.Staleness;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceOverviewTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:00Z"));
  private TestServices services;
  private InstanceOverview overview;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    services = new TestServices(dir, clock);
    // 25 instances: P01 … P25 on hosts p01.lan … p25.lan
    services.instances.applyEnvironment(IntStream.rangeClosed(1, 25)
        .mapToObj(n -> TestInstances.aDefinition("P%02d".formatted(n), "http://p%02d.lan".formatted(n))).toList());
    services.gateway.answer(Fixtures.archiveA());
    overview = new InstanceOverview(services.instances, services.catalog, new Staleness(Optional.empty(), s -> Duration.ofDays(1)), clock);
  }

  private long id(String prefix) {
    return services.instances.list().stream().filter(i -> prefix.equals(i.envPrefix())).findFirst().orElseThrow().id();
  }

  private InstanceOverview.Selection select(String search, InstanceFilter status, int page, int size) {
    return overview.select(overview.read(), new InstanceQuery(search, status, page, size));
  }

  private static List<String> names(InstanceOverview.Selection selection) {
    return selection.instances().stream().map(PiholeInstance::name).toList();
  }

  @Test
  void pagesTheListInItsOrderAndCountsEveryMatch() {
    InstanceOverview.Selection third = select("", InstanceFilter.ALL, 3, 10);

    assertThat(names(third)).containsExactly("Pi-hole P21", "Pi-hole P22", "Pi-hole P23", "Pi-hole P24", "Pi-hole P25");
    assertThat(third.total()).isEqualTo(25);
    assertThat(third.pages()).isEqualTo(3);
    assertThat(select("", InstanceFilter.ALL, 4, 10).instances()).as("past the last page").isEmpty();
  }

  @Test
  void searchesNamesAndHostsInAnyCase() {
    assertThat(names(select("p1", InstanceFilter.ALL, 1, 100))).hasSize(10).allMatch(n -> n.startsWith("Pi-hole P1"));
    assertThat(names(select("P07.LAN", InstanceFilter.ALL, 1, 100))).containsExactly("Pi-hole P07");
    assertThat(select("nowhere", InstanceFilter.ALL, 1, 100).total()).isZero();
  }

  @Test
  void filtersByStatusAndCountsEachStatusUnderTheSearch() {
    services.instances.recordStatus(id("P02"), new PiholeInstance.Status(ConnectionStatus.UNREACHABLE, "refused", clock.instant(), null, null));
    services.instances.recordStatus(id("P03"), new PiholeInstance.Status(ConnectionStatus.OK, null, clock.instant(), null, null));
    services.instances.pause(id("P04"), true);

    assertThat(names(select("", InstanceFilter.FAILING, 1, 100))).containsExactly("Pi-hole P02");
    assertThat(names(select("", InstanceFilter.OK, 1, 100))).containsExactly("Pi-hole P03");
    assertThat(names(select("", InstanceFilter.INACTIVE, 1, 100))).containsExactly("Pi-hole P04");
    InstanceOverview.Selection p0 = select("p0", InstanceFilter.ALL, 1, 100);
    assertThat(p0.counts()).containsEntry(InstanceFilter.ALL, 9).containsEntry(InstanceFilter.FAILING, 1)
        .containsEntry(InstanceFilter.INACTIVE, 1).containsEntry(InstanceFilter.UNKNOWN, 6);
  }

  @Test
  void filtersByEachStateTheBadgesAndTheApiShowAndByTheOldWordForInactive() {
    services.instances.recordStatus(id("P02"), new PiholeInstance.Status(ConnectionStatus.UNREACHABLE, "refused", clock.instant(), null, null));
    services.instances.recordStatus(id("P03"), new PiholeInstance.Status(ConnectionStatus.AUTH_ERROR, "wrong password", clock.instant(), null, null));
    services.instances.pause(id("P04"), true);

    assertThat(names(select("", InstanceFilter.named("unreachable").orElseThrow(), 1, 100))).containsExactly("Pi-hole P02");
    assertThat(names(select("", InstanceFilter.named("auth_error").orElseThrow(), 1, 100))).containsExactly("Pi-hole P03");
    assertThat(names(select("", InstanceFilter.named("error").orElseThrow(), 1, 100))).isEmpty();
    assertThat(names(select("", InstanceFilter.FAILING, 1, 100))).containsExactly("Pi-hole P02", "Pi-hole P03");
    assertThat(InstanceFilter.named("inactive")).contains(InstanceFilter.INACTIVE);
    assertThat(InstanceFilter.named("disabled")).as("the word bookmarks and scripts used before").contains(InstanceFilter.INACTIVE);
    assertThat(InstanceFilter.named("broken")).isEmpty();
    for (PiholeInstance i : services.instances.list()) { // every state an instance shows is a filter's word
      assertThat(InstanceFilter.named(i.state())).as(i.state()).isPresent();
    }
  }

  @Test
  void anInstanceGoesStaleWithTheClockWithoutANewRead() {
    long p05 = id("P05");
    services.backups.runBackup(p05, Backup.Trigger.SCHEDULED);
    InstanceOverview.Snapshot kept = overview.read();

    clock.advance(Duration.ofHours(47));
    assertThat(overview.select(kept, new InstanceQuery("", InstanceFilter.STALE, 1, 100)).total()).isZero();

    clock.advance(Duration.ofHours(2));
    List<PiholeInstance> stale = overview.select(kept, new InstanceQuery("", InstanceFilter.STALE, 1, 100)).instances();
    assertThat(stale).hasSize(25).as("the backed-up one too, its success two days old").extracting(PiholeInstance::id).contains(p05);
    assertThat(overview.select(kept, new InstanceQuery("", InstanceFilter.OK, 1, 100)).total()).as("stale is not ok").isZero();
  }

  @Test
  void readsTheRecentBackupsOfThePageOnly() {
    services.backups.runBackup(id("P01"), Backup.Trigger.MANUAL);
    services.backups.runBackup(id("P25"), Backup.Trigger.MANUAL);

    var histories = overview.histories(select("", InstanceFilter.ALL, 1, 10), 5, 20);

    assertThat(histories).hasSize(10);
    assertThat(histories.get(0).recent()).hasSize(1);
    assertThat(histories.get(0).stats().backups()).isEqualTo(1);
    assertThat(histories.get(0).recentSizes()).hasSize(1);
    assertThat(histories).noneMatch(h -> h.instance().envPrefix().equals("P25"));
  }

  @Test
  void refusesAPageSizeBeyondTheMaximum() {
    assertThatThrownBy(() -> new InstanceQuery("", InstanceFilter.ALL, 1, InstanceQuery.MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InstanceQuery("", InstanceFilter.ALL, 0, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
