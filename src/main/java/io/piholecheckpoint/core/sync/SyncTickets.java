package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroupNotFoundException;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.util.List;
import java.util.Optional;

/**
 * Sync runs asked for by a person or a script, as sync {@link Job}s any node shows: queued on the scheduler, run there through
 * {@link SyncService}, followed at {@code /api/v1/jobs/{id}}.
 */
public class SyncTickets {
  private final SyncService sync;
  private final SyncGroups groups;
  private final SyncRunRepository runs;
  private final SyncLauncher launcher;
  private final Jobs jobs;

  /** @param launcher where {@link #start} hands a run to: the scheduler, which never runs two of a group at once */
  public SyncTickets(SyncService sync, SyncGroups groups, SyncRunRepository runs, SyncLauncher launcher, Jobs jobs) {
    this.sync = sync;
    this.groups = groups;
    this.runs = runs;
    this.launcher = launcher;
    this.jobs = jobs;
  }

  /** The groups whose runs these are: the scheduler plans them. */
  public SyncGroups groups() {
    return groups;
  }

  /**
   * Queues the group's run on the scheduler and returns its ticket; follow it with {@link #job}.
   *
   * @throws SyncConflictException while a run of the group is queued or in progress, or when this process does not run the scheduler
   */
  public synchronized SyncTicket start(String id) {
    SyncGroup group = groups.group(id);
    Optional<Job> queued = jobs.unfinished(Job.Kind.SYNC, group.id());
    Optional<Job> opened = queued.isPresent() || groups.running(group.id()) ? Optional.empty() : jobs.open(Job.Kind.SYNC, group.id());
    if (opened.isEmpty()) {
      throw new SyncConflictException("sync group " + group.id() + " is running already; follow it at "
          + queued.map(t -> "/api/v1/jobs/" + t.id()).orElse("/api/v1/sync/" + group.id() + "/runs"));
    }
    try {
      launcher.launch(group.id(), opened.get().id());
    } catch (RuntimeException e) {
      jobs.drop(opened.get().id());
      throw e;
    }
    return new SyncTicket(opened.get(), List.of());
  }

  /**
   * The scheduler's side of a run: the group's run, recorded in its ticket when it was asked for
   * through {@link #start} ({@code ticketId} null: after a backup or on the group's schedule).
   */
  public List<SyncRun> runQueued(String groupId, String ticketId) {
    if (ticketId == null) {
      return sync.run(groupId);
    }
    jobs.running(ticketId, List.of());
    try {
      List<SyncRun> done = sync.run(groupId, recorded -> jobs.running(ticketId, recorded.stream().map(SyncRun::id).toList()));
      jobs.done(ticketId, "sync group " + groupId, done.stream().map(SyncRun::id).toList());
      return done;
    } catch (SyncConflictException | BackupConflictException | SyncGroupNotFoundException e) {
      jobs.failed(ticketId, "sync group " + groupId, List.of(), "sync_not_run", "the sync did not run: " + e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      jobs.failed(ticketId, "sync group " + groupId, List.of(), DatabaseTrouble.code(e).orElse("internal_error"), DatabaseTrouble.describe(e)
          .map(m -> "the sync did not run: " + m + "; run it again then")
          .orElse("the sync did not run because of an unexpected error; the server log has the details"));
      throw e;
    }
  }

  /** A run asked for through {@link #start}, on any node, until a week after it finished. */
  public Optional<SyncTicket> job(String ticketId) {
    return jobs.find(ticketId).filter(j -> j.kind() == Job.Kind.SYNC).map(this::ticket);
  }

  /** Waits up to {@code seconds} for the ticket's run to finish; returns the ticket as it is then. */
  public SyncTicket await(String ticketId, long seconds) throws InterruptedException {
    return jobs.await(ticketId, seconds).map(this::ticket).orElseThrow();
  }

  private SyncTicket ticket(Job job) {
    return new SyncTicket(job, runs.findByIds(job.records()));
  }
}
