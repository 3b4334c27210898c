package io.piholecheckpoint.core.manual;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.ChangeSummary;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.job.JobRepository;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.testing.InMemoryJobRepository;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTicketsTest {
  @TempDir
  Path backupDir;

  private static final String DATABASE_TEXT = "### Error updating database.  Cause: org.sqlite.SQLiteException: [SQLITE_CONSTRAINT_FOREIGNKEY]"
      + " ### SQL: INSERT INTO backup (instance_id) VALUES (?)";

  private final MovableClock clock = MovableClock.ticking();
  private TestServices s;
  private long home;

  @BeforeEach
  void oneInstance() {
    s = new TestServices(backupDir, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = s.instances.list().get(0).id();
  }

  @Test
  void aTicketThatFailedUnexpectedlySaysSoWithoutTheExceptionsOwnText() {
    BackupService failing = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), s.retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        throw new IllegalStateException(DATABASE_TEXT);
      }
    };
    BackupTickets tickets = new BackupTickets(failing, s.catalog, s.jobs);
    BackupTicket ticket = new BackupQueue(s.backups.locks(), tickets, (instanceId, ticketId) -> { }).enqueue(home);

    assertThatThrownBy(() -> tickets.run(ticket.job().id())).hasMessage(DATABASE_TEXT); // the job's log keeps it

    BackupTicket failed = tickets.find(ticket.job().id()).orElseThrow();
    assertThat(failed.job().errorCode()).isEqualTo("internal_error");
    assertThat(failed.job().error()).isEqualTo("the backup could not run because of an unexpected error; the server log has the details");
  }

  /** The database, not the backup, failed it (a read held up by another session's lock): the ticket says so and what to do. */
  @Test
  void aTicketThatTheDatabaseFailedSaysTheDatabaseWasBusyNotUnexpected() {
    BackupService failing = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), s.retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        // as the persistence adapter reports PostgreSQL's cancel of a read at its time limit
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.READ,
            io.piholecheckpoint.core.job.DatabaseBusyException.Limit.READ_LIMIT,
            new java.sql.SQLException("ERROR: canceling statement due to user request", "57014"));
      }
    };
    BackupTickets tickets = new BackupTickets(failing, s.catalog, s.jobs);
    BackupTicket ticket = new BackupQueue(s.backups.locks(), tickets, (instanceId, ticketId) -> { }).enqueue(home);

    assertThatThrownBy(() -> tickets.run(ticket.job().id()));

    BackupTicket failed = tickets.find(ticket.job().id()).orElseThrow();
    assertThat(failed.job().errorCode()).isEqualTo("database_busy");
    assertThat(failed.job().error()).contains("the database was busy").contains("lock").contains("start it again")
        .doesNotContain("unexpected").doesNotContain("canceling statement");
  }

  /** Progress writes are spaced out and dropped in an outage: the finished job still shows the size of the archive it kept. */
  @Test
  void aFinishedJobShowsTheSizeOfTheArchiveEvenWhenItsLastProgressWasNotWritten() {
    BackupService losingProgress = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), s.retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        progress.expecting(22_747);
        progress.downloading(8192); // the last progress that reached the database
        return super.runQueuedBackup(instanceId, new BackupProgress() { }, recorded);
      }
    };
    BackupTickets tickets = new BackupTickets(losingProgress, s.catalog, s.jobs);
    BackupTicket ticket = new BackupQueue(s.backups.locks(), tickets, (instanceId, ticketId) -> { }).enqueue(home);

    tickets.run(ticket.job().id());

    BackupTicket done = tickets.find(ticket.job().id()).orElseThrow();
    Backup kept = s.backupRepository.findById(done.job().records().get(0)).orElseThrow();
    assertThat(kept.successful()).isTrue();
    assertThat(done.job().bytes()).isEqualTo(kept.archive().sizeBytes()).isNotEqualTo(8192);
  }

  /**
   * Every job write of a manual backup is a commit (an fsync of SQLite's WAL): once the run has ended, its job is ended in one
   * write that also shows the kept archive's size, not a progress write and then the end.
   */
  @Test
  void aSuccessfulTicketIsEndedInOneWriteThatShowsTheArchivesSize() {
    List<String> writes = new java.util.ArrayList<>();
    Jobs jobs = new Jobs(new RecordingJobs(new InMemoryJobRepository(), writes), clock, "test", true);
    BackupService marking = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), s.retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        return super.runQueuedBackup(instanceId, progress, backup -> {
          writes.add("run ended");
          recorded.accept(backup);
        });
      }
    };
    BackupTickets tickets = new BackupTickets(marking, s.catalog, jobs);
    BackupTicket ticket = new BackupQueue(s.backups.locks(), tickets, (instanceId, ticketId) -> { }).enqueue(home);

    tickets.run(ticket.job().id());

    assertThat(writes.subList(writes.indexOf("run ended"), writes.size())).containsExactly("run ended", "finish DONE");
    BackupTicket done = tickets.find(ticket.job().id()).orElseThrow();
    assertThat(done.job().bytes()).isEqualTo(s.backupRepository.findById(done.job().records().get(0)).orElseThrow().archive().sizeBytes());
  }

  /**
   * A request with {@code ?wait=true} is woken by the run's end on this process: it is handed the ended job and the record
   * the run wrote as they were written, reading neither again (each read was a statement on the request's way back).
   */
  @Test
  void aWaiterOnThisProcessIsHandedTheEndedTicketAndTheRecordTheRunWroteWithoutReadingThem() throws Exception {
    List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Jobs jobs = new Jobs(new RecordingJobs(new InMemoryJobRepository(), calls), clock, "test", true);
    java.util.concurrent.atomic.AtomicReference<Backup> ran = new java.util.concurrent.atomic.AtomicReference<>();
    BackupService remembering = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), s.retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        return super.runQueuedBackup(instanceId, progress, backup -> {
          ran.set(backup);
          recorded.accept(backup);
        });
      }
    };
    BackupTickets tickets = new BackupTickets(remembering, s.catalog, jobs);
    java.util.concurrent.CompletableFuture<Void> run = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger launchedAt = new java.util.concurrent.atomic.AtomicInteger();
    BackupTicket ticket = new BackupQueue(s.backups.locks(), tickets, (instanceId, ticketId) -> {
      launchedAt.set(calls.size());
      run.completeAsync(() -> {
        tickets.run(ticketId);
        return null;
      });
    }).enqueue(home);

    BackupTicket done = tickets.await(ticket, 30);

    run.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(done.job().state()).isEqualTo(Job.State.DONE);
    assertThat(done.backup()).as("the record the run wrote, not one read again").isSameAs(ran.get());
    assertThat(calls.subList(launchedAt.get(), calls.size())).as("what the ticket's repository was asked once launched")
        .containsExactly("find", "progress LOGGING_IN", "progress DOWNLOADING", "progress VERIFYING", "finish DONE");
  }

  /**
   * A request with {@code ?wait=true} is answered once the backup's record is durable: the run's retention follows it, with the
   * instance's turn still held, and a backup asked for meanwhile is queued behind it, not refused as running.
   */
  @Test
  void theWaiterIsAnsweredBeforeRetentionRunsAndABackupAskedForMeanwhileWaitsForItInsteadOfBeingRefused() throws Exception {
    java.util.concurrent.CountDownLatch pruning = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean endedBeforeRetention = new java.util.concurrent.atomic.AtomicBoolean();
    io.piholecheckpoint.core.backup.Retention held = (instance, now) -> {
      endedBeforeRetention.compareAndSet(false, s.jobs.unfinished(Job.Kind.BACKUP, Long.toString(home)).isEmpty());
      pruning.countDown();
      try {
        letGo.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return s.retention.prune(instance, now);
    };
    BackupService service = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), held, Events.NONE, clock);
    BackupTickets tickets = new BackupTickets(service, s.catalog, s.jobs);
    BackupQueue queue = new BackupQueue(s.backups.locks(), tickets,
        (instanceId, ticketId) -> java.util.concurrent.CompletableFuture.runAsync(() -> tickets.run(ticketId)));
    BackupTicket asked = queue.enqueue(home);

    assertThat(pruning.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("retention started").isTrue();
    BackupTicket next;
    try {
      assertThat(endedBeforeRetention.get()).as("the job ended (its waiter answered) before retention began").isTrue();
      assertThat(tickets.await(asked, 5).job().state()).isEqualTo(Job.State.DONE);
      next = queue.enqueue(home);
    } finally {
      letGo.countDown();
    }

    assertThat(tickets.await(next, 30).job().state()).isEqualTo(Job.State.DONE);
  }

  /**
   * A client answered by {@code ?wait=true} may ask for the next backup at once, before the run has even begun its retention:
   * that request is queued behind the run's end, never refused as "already running" (round 49's clean CI met that 409).
   */
  @Test
  void aBackupAskedForTheMomentTheWaiterIsAnsweredIsQueuedNotRefused() throws Exception {
    java.util.concurrent.atomic.AtomicReference<BackupQueue> queue = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CompletableFuture<BackupTicket> askedNext = new java.util.concurrent.CompletableFuture<>();
    BackupService askingAtOnce = new BackupService(s.backups.locks(), s.backups.records(),
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(s.archives, new TeleporterContents(Clock.systemUTC())), s.retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        return super.runQueuedBackup(instanceId, progress, backup -> {
          recorded.accept(backup); // the waiter is answered here
          if (!askedNext.isDone()) {
            try {
              askedNext.complete(queue.get().enqueue(instanceId));
            } catch (RuntimeException e) {
              askedNext.completeExceptionally(e);
            }
          }
        });
      }
    };
    BackupTickets tickets = new BackupTickets(askingAtOnce, s.catalog, s.jobs);
    queue.set(new BackupQueue(s.backups.locks(), tickets,
        (instanceId, ticketId) -> java.util.concurrent.CompletableFuture.runAsync(() -> tickets.run(ticketId))));

    BackupTicket first = tickets.await(queue.get().enqueue(home), 30);
    BackupTicket next = askedNext.get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(first.job().state()).isEqualTo(Job.State.DONE);
    assertThat(tickets.await(next, 30).job().state()).isEqualTo(Job.State.DONE);
  }

  /** The job writes, by name, into a list shared with the run, and the reads of one job as "find"; the rest pass through. */
  private record RecordingJobs(JobRepository inner, List<String> writes) implements JobRepository {
    @Override
    public boolean insert(Job job) {
      writes.add("insert");
      return inner.insert(job);
    }

    @Override
    public void delete(String id) {
      writes.add("delete");
      inner.delete(id);
    }

    @Override
    public void progress(String id, Job.State state, long bytes, Long expectedBytes) {
      writes.add("progress " + state);
      inner.progress(id, state, bytes, expectedBytes);
    }

    @Override
    public void running(String id, List<Long> records) {
      writes.add("running");
      inner.running(id, records);
    }

    @Override
    public Optional<Job> finish(String id, Job.State state, List<Long> records, String errorCode, String error, Instant at, Long bytes) {
      writes.add("finish " + state);
      return inner.finish(id, state, records, errorCode, error, at, bytes);
    }

    @Override
    public Optional<Job> find(String id) {
      writes.add("find");
      return inner.find(id);
    }

    @Override
    public Optional<Job> findUnfinished(Job.Kind kind, String subject) {
      return inner.findUnfinished(kind, subject);
    }

    @Override
    public List<Job> findUnfinished(Job.Kind kind) {
      return inner.findUnfinished(kind);
    }

    @Override
    public int interrupt(String node, Instant queuedBefore, String error, Instant at) {
      return inner.interrupt(node, queuedBefore, error, at);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
      return inner.deleteFinishedBefore(cutoff);
    }
  }

  /** As README says: the answer is at once, and no second copy of the same state is queued behind the running one. */
  @Test
  void aManualBackupAskedForWhileAScheduledOneRunsIsRefusedNotQueued() throws Exception {
    BackupTickets tickets = s.tickets;
    BackupQueue queue = new BackupQueue(s.backups.locks(), tickets, (instanceId, ticketId) -> tickets.run(ticketId));
    s.gateway.closeGate();
    var scheduled = java.util.concurrent.CompletableFuture.supplyAsync(() -> s.backups.runBackup(home, Backup.Trigger.SCHEDULED));
    assertThat(s.gateway.awaitExportStarted()).isTrue();

    assertThatThrownBy(() -> queue.enqueue(home)).isInstanceOf(io.piholecheckpoint.core.backup.catalog.BackupConflictException.class)
        .hasMessageContaining("already running; try again when it has finished");
    assertThat(queue.active(home)).isEmpty();

    s.gateway.openGate();
    assertThat(scheduled.get(10, java.util.concurrent.TimeUnit.SECONDS).successful()).isTrue();
  }
}
