package io.piholecheckpoint.core.sync.runs;

import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of sync runs that tells {@link SyncOutcomes} of each run it records: every outcome
 * of every replica is recorded once, through here, whoever ran it (a schedule, a backup of the
 * primary, the API, the Sync page). A run's record and the end of a group's turn are its end: carried through a database outage.
 */
public final class ReportedRuns implements SyncRunRepository {
  private final SyncRunRepository runs;
  private final InstanceService instances;
  private final SyncOutcomes outcomes;
  private final DatabaseOutages outages;
  private final LocalTimeText times;

  /** @param times TIME_ZONE's: a run waiting for the database is named in the log and on /health, its start with the zone */
  public ReportedRuns(SyncRunRepository runs, InstanceService instances, SyncOutcomes outcomes, DatabaseOutages outages, LocalTimeText times) {
    this.times = times.inLog();
    this.outages = outages;
    this.runs = runs;
    this.instances = instances;
    this.outcomes = outcomes;
  }

  @Override
  public SyncRun insert(SyncRun run) {
    SyncRun recorded = outages.record("the %s run of sync group %s on replica instance %d (started at %s)"
        .formatted(run.outcome().name().toLowerCase(java.util.Locale.ROOT), run.group(), run.replicaId(), times.of(run.startedAt())), () -> runs.insert(run));
    try {
      outcomes.finished(recorded, instances.find(recorded.replicaId()));
    } catch (InstanceNotFoundException e) {
      // deleted while it was synced: its runs went with it, there is no one left to tell of
    }
    return recorded;
  }

  @Override
  public List<SyncRun> findByGroup(String group, Long before, int limit) {
    return runs.findByGroup(group, before, limit);
  }

  @Override
  public List<SyncRun> findByIds(List<Long> ids) {
    return runs.findByIds(ids);
  }

  @Override
  public boolean hasSnapshot(String group, long replicaId) {
    return runs.hasSnapshot(group, replicaId);
  }

  @Override
  public List<Standing> standings(String group) {
    return runs.standings(group);
  }

  @Override
  public void started(String group, Instant at) {
    runs.started(group, at);
  }

  @Override
  public void reached(String group, long replicaId) {
    runs.reached(group, replicaId);
  }

  @Override
  public void snapshotTaken(String group, long replicaId, long snapshotId) {
    runs.snapshotTaken(group, replicaId, snapshotId);
  }

  @Override
  public void ended(String group) {
    outages.record("the end of sync group " + group + "'s run on this node", () -> runs.ended(group));
  }

  @Override
  public Optional<Running> running(String group) {
    return runs.running(group);
  }

  @Override
  public List<Running> takeLeft(String node) {
    return runs.takeLeft(node);
  }
}
