package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.job.JustEnded;
import io.piholecheckpoint.core.registry.InstanceDeletedException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manual backups handed out as tickets: backup {@link Job}s, which the scheduler's job runs
 * ({@link #run}) on whichever node it fires, and {@link BackupQueue} opens.
 */
public class BackupTickets {
  private static final Logger log = LoggerFactory.getLogger(BackupTickets.class);

  private final BackupService backups;
  private final BackupCatalog catalog;
  private final Jobs jobs;
  /** The record each run of this process ended with, for its waiter here: the job names it, and it is not read again. */
  private final JustEnded<Backup> written = new JustEnded<>();

  public BackupTickets(BackupService backups, BackupCatalog catalog, Jobs jobs) {
    this.backups = backups;
    this.catalog = catalog;
    this.jobs = jobs;
  }

  /**
   * A new ticket; empty when the instance has an unfinished one (opened on any node). Its {@code expectedBytes} is the previous
   * backup's size from the first answer on: the run learns it only once it starts, and the 202 said null meanwhile.
   */
  Optional<BackupTicket> open(long instanceId) {
    java.util.OptionalLong size = catalog.latestSuccessSize(instanceId); // the queue has just read the instance
    Long previous = size.isPresent() ? size.getAsLong() : null;
    return jobs.open(Job.Kind.BACKUP, Long.toString(instanceId), previous).map(j -> new BackupTicket(j, null));
  }

  /** A ticket whose backup could not even be queued: it never existed. */
  void drop(String ticketId) {
    jobs.drop(ticketId);
  }

  /** A queued ticket whose run could not start after all (the scheduler stopping): failed, so that it does not block the next one. */
  public void abandon(String ticketId, String reason) {
    jobs.failed(ticketId, List.of(), "cancelled", reason);
  }

  /** Runs the backup of a ticket; called by the scheduler's job. */
  public void run(String ticketId) {
    Optional<Job> ticket = jobs.find(ticketId).filter(j -> j.kind() == Job.Kind.BACKUP && !j.finished());
    if (ticket.isEmpty()) {
      log.warn("Backup ticket {} is unknown or was ended already (interrupted by a restart?); nothing to run", ticketId);
      return;
    }
    long instanceId = Long.parseLong(ticket.get().subject());
    try {
      // the job ends (and its waiter is answered) once the record is durable; the run's retention follows it
      backups.runQueuedBackup(instanceId, new JobProgress(jobs, ticketId, ticket.get().expectedBytes()), backup -> end(ticketId, instanceId, backup));
    } catch (InstanceDeletedException e) {
      jobs.failed(ticketId, "instance " + instanceId, List.of(), "instance_deleted", e.getMessage());
      throw e;
    } catch (BackupConflictException | InstanceNotFoundException e) {
      // refusals written for people (removed meanwhile, deleted meanwhile)
      jobs.failed(ticketId, "instance " + instanceId, List.of(), "internal_error", "the backup could not run: " + e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      // the ticket gets a plain sentence (the exception's own text carries SQL and row values); the log line is the caller's
      // (BackupJob), which knows what becomes of the run: one failure, one line
      Optional<DatabaseFileGoneException> gone = DatabaseFileGoneException.in(e);
      Optional<String> trouble = gone.isPresent() ? Optional.of(gone.get().getMessage()) : DatabaseTrouble.describe(e);
      // a gone file: the ticket's end waits for it to be put back (Jobs), so that the instance is not refused as "already running"
      jobs.failed(ticketId, "instance " + instanceId, List.of(), gone.isPresent() ? "storage_error" : DatabaseTrouble.code(e).orElse("internal_error"),
          trouble.map(m -> "the backup could not run: " + m + "; start it again then")
              .orElse("the backup could not run because of an unexpected error; the server log has the details"));
      throw e;
    }
  }

  private void end(String ticketId, long instanceId, Backup backup) {
    written.put(ticketId, backup); // before the end wakes the waiter
    if (backup.successful()) {
      // the progress written last may be an earlier one (writes are spaced out, and dropped while the database is out of
      // reach): the finished job shows the archive it kept, written with its end (a progress write of its own was one more
      // commit per backup)
      jobs.done(ticketId, "instance " + instanceId, List.of(backup.id()), backup.archive().sizeBytes());
    } else {
      jobs.failed(ticketId, "instance " + instanceId, List.of(backup.id()), backup.errorCode(), backup.errorMessage());
    }
  }

  /** The queued or running manual backup of an instance, if there is one. */
  public Optional<BackupTicket> active(long instanceId) {
    return jobs.unfinished(Job.Kind.BACKUP, Long.toString(instanceId)).map(j -> new BackupTicket(j, null));
  }

  /** Every queued or running manual backup, by instance id. */
  public Map<Long, BackupTicket> active() {
    return jobs.unfinished(Job.Kind.BACKUP).stream().map(j -> new BackupTicket(j, null))
        .collect(Collectors.toMap(BackupTicket::instanceId, t -> t, (a, b) -> a));
  }

  public Optional<BackupTicket> find(String ticketId) {
    return jobs.find(ticketId).filter(j -> j.kind() == Job.Kind.BACKUP).map(this::ticket);
  }

  /** Waits up to {@code seconds} for a ticket just {@link #open opened} to finish ({@link Jobs#await(Job, long)}); returns it as it is then. */
  public BackupTicket await(BackupTicket opened, long seconds) throws InterruptedException {
    return jobs.await(opened.job(), seconds).map(this::ticket).orElseThrow();
  }

  /**
   * The job with the record it wrote, if that is still kept (retention may have deleted it since). A run of this process that
   * ended a moment ago hands it over as it wrote it: retention never deletes the record a run has just written.
   */
  private BackupTicket ticket(Job job) {
    Backup backup = null;
    Optional<Backup> handed = written.get(job.id()).filter(b -> job.records().equals(List.of(b.id())));
    if (handed.isPresent()) {
      backup = handed.get();
    } else if (!job.records().isEmpty()) {
      try {
        backup = catalog.find(job.records().get(0));
      } catch (BackupNotFoundException e) {
        // deleted since: the job still names its id
      }
    }
    return new BackupTicket(job, backup);
  }

  /**
   * A backup's progress, written as it changes state and at most every quarter second while bytes
   * arrive (the download reports every 32 KiB: a commit each would cost more than the download).
   */
  private static final class JobProgress implements BackupProgress {
    private static final long WRITE_EVERY_NANOS = 250_000_000L;
    private final Jobs jobs;
    private final String id;
    private Job.State state = Job.State.QUEUED;
    private long bytes;
    private Long expected;
    private long writtenAt;

    /** @param expected what the ticket was opened with: kept by every write until the run says otherwise */
    JobProgress(Jobs jobs, String id, Long expected) {
      this.jobs = jobs;
      this.id = id;
      this.expected = expected;
    }

    @Override
    public void loggingIn() {
      write(Job.State.LOGGING_IN, 0, true);
    }

    /** Told before the login: written with it (a commit fewer), or at once when told later. */
    @Override
    public void expecting(long totalBytes) {
      expected = totalBytes;
      write(state, bytes, state != Job.State.QUEUED);
    }

    @Override
    public void downloading(long bytesSoFar) {
      write(Job.State.DOWNLOADING, bytesSoFar, state != Job.State.DOWNLOADING || System.nanoTime() - writtenAt >= WRITE_EVERY_NANOS);
    }

    @Override
    public void verifying() {
      write(Job.State.VERIFYING, bytes, true);
    }

    private void write(Job.State newState, long newBytes, boolean now) {
      state = newState;
      bytes = newBytes;
      if (now) {
        writtenAt = System.nanoTime();
        jobs.progress(id, state, bytes, expected);
      }
    }
  }
}
