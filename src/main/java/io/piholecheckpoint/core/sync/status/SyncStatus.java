package io.piholecheckpoint.core.sync.status;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.sync.ReplicaPlan;
import io.piholecheckpoint.core.sync.SyncService;
import io.piholecheckpoint.core.sync.SyncTickets;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.groups.SyncStaleness;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the groups' replicas stand, for the Sync page, {@code /health} and {@code /metrics}: each
 * replica's last run, its last success, since when it fails (and whether for longer than its
 * {@link SyncStaleness} window), and its drift — how much it differed from the primary at the last
 * look, a Preview or a run. Drift lives in memory: after a restart it is what the last run left.
 */
public class SyncStatus {
  /** How old the standings that monitoring reads may be; a run in this process refreshes them at once. */
  private static final Duration MAX_AGE = Duration.ofMinutes(5);
  private final SyncService sync;
  private final SyncTickets tickets;
  private final SyncRunRepository runs;
  private final SyncStaleness staleness;
  private final SyncDrift drift;
  private final Clock clock;
  /** By group id: when Sync now was asked for, and the last Preview that failed as a whole. */
  private final Map<String, Instant> requested = new ConcurrentHashMap<>();
  private final Map<String, String> failedChecks = new ConcurrentHashMap<>();
  private volatile Cached cached = new Cached(Instant.MIN, -1, Map.of());

  /**
   * The replicas' standings by group id, as read from the history.
   *
   * @param runsHeard how many runs {@link SyncDrift} had heard of when they were read
   */
  private record Cached(Instant readAt, long runsHeard, Map<String, List<SyncRunRepository.Standing>> standings) {
  }

  /**
   * @param lastRun null before the first
   * @param stale its runs have failed for longer than {@code staleAfter}
   */
  public record ReplicaStatus(long id, String name, SyncRun lastRun, Instant lastSuccessAt, Instant failingSince, SyncDrift.Drift drift, Duration staleAfter,
                              boolean stale) {
    /** The last outcome in lower case ({@code synced}, {@code failed} …), or {@code never}. */
    public String state() {
      return lastRun == null ? "never" : lastRun.outcome().name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param requestedAt when Sync now was last asked for here, while some replica has not run since; else null
   * @param checkError why the last Preview of the group failed, null when it did not
   */
  public record GroupStatus(SyncGroup group, String primary, List<ReplicaStatus> replicas, Instant requestedAt, String checkError) {
  }

  public SyncStatus(SyncService sync, SyncTickets tickets, SyncRunRepository runs, SyncStaleness staleness, SyncDrift drift, Clock clock) {
    this.sync = sync;
    this.tickets = tickets;
    this.runs = runs;
    this.staleness = staleness;
    this.drift = drift;
    this.clock = clock;
  }

  /** Each group that runs, its history read now. */
  public List<GroupStatus> groups() {
    return statuses(read(sync.groups().groups()));
  }

  /**
   * Each group that runs, its history as read at most {@link #MAX_AGE} ago and before no run of
   * this process since: a scrape or a health check reads no history but after a change.
   */
  public List<GroupStatus> recent() {
    Cached c = cached;
    List<SyncGroup> groups = sync.groups().groups();
    boolean fresh = c.runsHeard() == drift.runsHeard() && c.readAt().plus(MAX_AGE).isAfter(clock.instant())
        && groups.stream().allMatch(g -> c.standings().containsKey(g.id()));
    return statuses(fresh ? c : read(groups));
  }

  private Cached read(List<SyncGroup> groups) {
    long heard = drift.runsHeard();
    Map<String, List<SyncRunRepository.Standing>> standings = new HashMap<>();
    groups.forEach(g -> standings.put(g.id(), runs.standings(g.id())));
    Cached read = new Cached(clock.instant(), heard, Map.copyOf(standings));
    cached = read;
    return read;
  }

  private List<GroupStatus> statuses(Cached read) {
    Instant now = clock.instant();
    return sync.groups().groups().stream().filter(g -> read.standings().containsKey(g.id()))
        .map(g -> status(g, read.standings().get(g.id()), now)).toList();
  }

  /** Group name → why it does not run (see {@link SyncGroups#disabled}). */
  public Map<String, String> disabled() {
    return sync.groups().disabled();
  }

  /** Group name → why it does not run, for the groups added here (see {@link SyncGroups#disabledAddedHere}). */
  public Map<String, String> disabledAddedHere() {
    return sync.groups().disabledAddedHere();
  }

  private HealthReport.SyncGroupHealth disabled(String name, String why, boolean addedHere) {
    return new HealthReport.SyncGroupHealth(SyncGroup.idOf(name), sync.groups().primaryOf(name, addedHere).orElse("not known")
        + " (the group is disabled)", why, List.of(), addedHere);
  }

  /** Starts a run of the group in the background; the page shows it pending until each replica has run. */
  public void start(String id) {
    SyncGroup group = sync.groups().group(id);
    Instant at = clock.instant();
    tickets.start(group.id());
    requested.put(group.id(), at);
  }

  /** Looks at what each replica lacks now, changing nothing; the drift shows it. A Pi-hole that fails it is told in the group's status. */
  public void preview(String id) {
    try {
      look(id);
    } catch (PiholeException | BackupConflictException | UncheckedIOException e) {
      // the page shows it from the group's status
    }
  }

  /**
   * Each replica's plan (the API's dry run), changing nothing on a Pi-hole; the drift and the
   * metric show what it found, as after the page's Preview.
   *
   * @throws PiholeException when a Pi-hole fails it (also told in the group's status)
   */
  public Map<String, ReplicaPlan> look(String id) {
    SyncGroup group = sync.groups().group(id);
    Instant at = clock.instant();
    Map<String, ReplicaPlan> plans;
    try {
      plans = sync.preview(group.id());
    } catch (PiholeException | BackupConflictException | UncheckedIOException e) {
      failedChecks.put(group.id(), e.getMessage());
      throw e;
    }
    List<String> unseen = plans.entrySet().stream().filter(e -> e.getValue().unseen()).map(e -> e.getKey() + ": " + e.getValue().skipped())
        .toList();
    if (unseen.isEmpty()) {
      failedChecks.remove(group.id());
    } else {
      failedChecks.put(group.id(), String.join("; ", unseen));
    }
    for (String ref : group.replicas()) {
      PiholeInstance replica = sync.groups().instance(ref);
      ReplicaPlan plan = plans.get(replica.name());
      if (plan != null) {
        drift.previewed(group.id(), replica.id(), plan, at);
      }
    }
    return plans;
  }

  /** The groups as {@code /health} lists them, disabled ones with why; from {@link #recent()}. */
  public List<HealthReport.SyncGroupHealth> health() {
    SyncGroups groups = sync.groups();
    List<HealthReport.SyncGroupHealth> health = new ArrayList<>(recent().stream().map(g -> new HealthReport.SyncGroupHealth(g.group().id(),
        g.primary(), null, g.replicas().stream().map(r -> new HealthReport.ReplicaHealth(r.name(), r.state(),
            r.lastRun() == null ? null : r.lastRun().finishedAt(), r.lastSuccessAt(), r.failingSince(), r.stale(), r.staleAfter().toSeconds()))
            .toList(), !groups.inEnvironment(g.group().name()))).toList());
    // a disabled group's primary is named all the same: a bare null read as "no primary", or as a fault of the report
    disabled().forEach((name, why) -> health.add(disabled(name, why, !groups.inEnvironment(name))));
    // one added here whose name the environment takes: under its own id, told apart by addedHere, with its own reason
    disabledAddedHere().forEach((name, why) -> {
      if (groups.inEnvironment(name)) {
        health.add(disabled(name, why, true));
      }
    });
    return health;
  }

  private GroupStatus status(SyncGroup group, List<SyncRunRepository.Standing> read, Instant now) {
    PiholeInstance primary = sync.groups().instance(group.primary());
    Duration limit = staleness.limit(group, primary);
    Map<Long, SyncRunRepository.Standing> standings = read.stream().collect(Collectors.toMap(s -> s.last().replicaId(), Function.identity()));
    List<ReplicaStatus> replicas = group.replicas().stream().map(ref -> sync.groups().instance(ref)).map(replica -> {
      SyncRunRepository.Standing s = standings.get(replica.id());
      SyncRun last = s == null ? null : s.last();
      Instant failingSince = last != null && last.outcome() == SyncRun.Outcome.FAILED ? s.failingSince() : null;
      return new ReplicaStatus(replica.id(), replica.name(), last, s == null ? null : s.lastSuccessAt(), failingSince,
          drift.of(group.id(), replica.id(), last), limit,
          failingSince != null && failingSince.plus(limit).isBefore(now));
    }).toList();
    Instant asked = requested.get(group.id());
    boolean pending = asked != null && replicas.stream().anyMatch(r -> r.lastRun() == null || r.lastRun().startedAt().isBefore(asked));
    return new GroupStatus(group, primary.name(), replicas, pending ? asked : null, failedChecks.get(group.id()));
  }
}
