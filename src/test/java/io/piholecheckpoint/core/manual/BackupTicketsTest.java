package io.piholecheckpoint.core.manual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTicketsTest {
  @TempDir
  Path backupDir;

  private static final String DATABASE_TEXT = "### Error updating database.  Cause: org.sqlite.SQLiteException: [SQLITE_CONSTRAINT_FOREIGNKEY]"
      + " ### SQL: INSERT INTO backup (instance_id) VALUES (?)";

  @Test
  void aTicketThatFailedUnexpectedlySaysSoWithoutTheExceptionsOwnText() {
    MovableClock clock = MovableClock.ticking();
    TestServices s = new TestServices(backupDir, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    long home = s.instances.list().get(0).id();
    BackupService failing = new BackupService(s.catalog, s.instances, s.backupRepository,
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause()), s.archives,
        new TeleporterContents(), s.retention, clock, Events.NONE) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress) {
        throw new IllegalStateException(DATABASE_TEXT);
      }
    };
    BackupTickets tickets = new BackupTickets(failing, s.catalog, s.jobs);
    BackupTicket ticket = new BackupQueue(failing, tickets, (instanceId, ticketId) -> { }).enqueue(home);

    assertThatThrownBy(() -> tickets.run(ticket.job().id())).hasMessage(DATABASE_TEXT); // the job's log keeps it

    BackupTicket failed = tickets.find(ticket.job().id()).orElseThrow();
    assertThat(failed.job().errorCode()).isEqualTo("internal_error");
    assertThat(failed.job().error()).isEqualTo("the backup could not run because of an unexpected error; the server log has the details");
  }

  /** The database, not the backup, failed it (a read held up by another session's lock): the ticket says so and what to do. */
  @Test
  void aTicketThatTheDatabaseFailedSaysTheDatabaseWasBusyNotUnexpected() {
    MovableClock clock = MovableClock.ticking();
    TestServices s = new TestServices(backupDir, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    long home = s.instances.list().get(0).id();
    BackupService failing = new BackupService(s.catalog, s.instances, s.backupRepository,
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause()), s.archives,
        new TeleporterContents(), s.retention, clock, Events.NONE) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress) {
        // as the persistence adapter reports PostgreSQL's cancel of a read at its time limit
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.READ,
            io.piholecheckpoint.core.job.DatabaseBusyException.Limit.READ_LIMIT,
            new java.sql.SQLException("ERROR: canceling statement due to user request", "57014"));
      }
    };
    BackupTickets tickets = new BackupTickets(failing, s.catalog, s.jobs);
    BackupTicket ticket = new BackupQueue(failing, tickets, (instanceId, ticketId) -> { }).enqueue(home);

    assertThatThrownBy(() -> tickets.run(ticket.job().id()));

    BackupTicket failed = tickets.find(ticket.job().id()).orElseThrow();
    assertThat(failed.job().errorCode()).isEqualTo("database_busy");
    assertThat(failed.job().error()).contains("the database was busy").contains("lock").contains("start it again")
        .doesNotContain("unexpected").doesNotContain("canceling statement");
  }

  /** Progress writes are spaced out and dropped in an outage: the finished job still shows the size of the archive it kept. */
  @Test
  void aFinishedJobShowsTheSizeOfTheArchiveEvenWhenItsLastProgressWasNotWritten() {
    MovableClock clock = MovableClock.ticking();
    TestServices s = new TestServices(backupDir, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    long home = s.instances.list().get(0).id();
    BackupService losingProgress = new BackupService(s.catalog, s.instances, s.backupRepository,
        new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause()), s.archives,
        new TeleporterContents(), s.retention, clock, Events.NONE) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress) {
        progress.expecting(22_747);
        progress.downloading(8192); // the last progress that reached the database
        return super.runQueuedBackup(instanceId, new BackupProgress() { });
      }
    };
    BackupTickets tickets = new BackupTickets(losingProgress, s.catalog, s.jobs);
    BackupTicket ticket = new BackupQueue(losingProgress, tickets, (instanceId, ticketId) -> { }).enqueue(home);

    tickets.run(ticket.job().id());

    BackupTicket done = tickets.find(ticket.job().id()).orElseThrow();
    Backup kept = s.backupRepository.findById(done.job().records().get(0)).orElseThrow();
    assertThat(kept.successful()).isTrue();
    assertThat(done.job().bytes()).isEqualTo(kept.archive().sizeBytes()).isNotEqualTo(8192);
  }

  /** As README says: the answer is at once, and no second copy of the same state is queued behind the running one. */
  @Test
  void aManualBackupAskedForWhileAScheduledOneRunsIsRefusedNotQueued() throws Exception {
    MovableClock clock = MovableClock.ticking();
    TestServices s = new TestServices(backupDir, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    long home = s.instances.list().get(0).id();
    BackupTickets tickets = s.tickets;
    BackupQueue queue = new BackupQueue(s.backups, tickets, (instanceId, ticketId) -> tickets.run(ticketId));
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
