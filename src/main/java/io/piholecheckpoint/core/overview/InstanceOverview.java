package io.piholecheckpoint.core.overview;

import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.backup.catalog.BackupRepository.Stats;
import io.piholecheckpoint.core.health.Staleness;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The instances as the dashboard and the API list them when there may be a thousand: searched,
 * filtered by status and paged. Reads stay a fixed number of queries whatever the number of
 * instances and backups: two for every instance's row and backup totals ({@link #read()}), kept by
 * the caller until the next commit; the filter runs in memory, on the clock, since staleness
 * changes without a write; then two for the recent backups of one page's instances.
 */
public class InstanceOverview {
  private final InstanceService instances;
  private final BackupCatalog backups;
  private final Staleness staleness;
  private final Clock clock;
  /** Instances that never succeeded count as stale from here, as {@code /health} counts them. */
  private final Instant since;

  public InstanceOverview(InstanceService instances, BackupCatalog backups, Staleness staleness, Clock clock) {
    this.instances = instances;
    this.backups = backups;
    this.staleness = staleness;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** Every instance, in the order they are listed, and the totals of their successful backups. */
  public record Snapshot(List<PiholeInstance> instances, Map<Long, Stats> stats) {
    Stats statsOf(PiholeInstance instance) {
      return stats.getOrDefault(instance.id(), new Stats(instance.id(), 0, 0, null));
    }

    /** Bytes all backups take. */
    public long storedBytes() {
      return stats.values().stream().mapToLong(Stats::bytes).sum();
    }
  }

  /**
   * One page of the instances that match.
   *
   * @param total how many match the search and the filter, on every page
   * @param counts how many match the search under each filter, for the filter's links
   */
  public record Selection(InstanceQuery query, List<PiholeInstance> instances, Map<Long, Stats> stats, int total,
                          Map<InstanceFilter, Integer> counts) {
    /** At least one, so that "page 1 of 1" reads right without instances. */
    public int pages() {
      return Math.max(1, (total + query.size() - 1) / query.size());
    }

    public Stats statsOf(PiholeInstance instance) {
      return stats.getOrDefault(instance.id(), new Stats(instance.id(), 0, 0, null));
    }
  }

  /** When the instance last backed up successfully, or null: one query. */
  public Instant lastSuccessOf(long instanceId) {
    return backups.stats(instanceId).lastSuccessAt();
  }

  /** Three queries (the count of the instances' changes, the instances, their stats); keep the result until something is committed. */
  public Snapshot read() {
    return new Snapshot(instances.list(), backups.statsPerInstance());
  }

  /** The page the query asks for; a page past the last is empty (an API client paging on stops there). */
  public Selection select(Snapshot snapshot, InstanceQuery query) {
    Instant now = clock.instant();
    Map<InstanceFilter, Integer> counts = new EnumMap<>(InstanceFilter.class);
    List<PiholeInstance> matching = new ArrayList<>();
    for (PiholeInstance instance : snapshot.instances()) {
      if (!query.matchesText(instance)) {
        continue;
      }
      boolean stale = staleness.stale(instance, snapshot.statsOf(instance).lastSuccessAt(), since, now);
      for (InstanceFilter filter : InstanceFilter.values()) {
        if (filter.matches(instance, stale)) {
          counts.merge(filter, 1, Integer::sum);
        }
      }
      if (query.status().matches(instance, stale)) {
        matching.add(instance);
      }
    }
    int from = (int) Math.min(matching.size(), (long) (query.page() - 1) * query.size());
    List<PiholeInstance> page = List.copyOf(matching.subList(from, Math.min(matching.size(), from + query.size())));
    return new Selection(query, page, snapshot.stats(), matching.size(), counts);
  }

  /** The page's instances with their newest {@code rows} attempts and {@code sizes} archive sizes: two queries. */
  public List<InstanceHistory> histories(Selection selection, int rows, int sizes) {
    return backups.overviewOf(selection.instances(), selection.stats(), rows, sizes);
  }
}
