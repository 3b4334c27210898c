package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.runs.UnstartedRuns;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.manual.BackupTicket;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One failed backup, one log line: the ticket ({@link BackupTickets}) and the job that runs it ({@link BackupJob}) each
 * logged it, two ERRORs with the same trace for an unexpected failure and two WARNs for a busy database. The job owns the line.
 * A busy database met during the download is one WARN line too, without a trace, as every other job's (JobFailures).
 */
class BackupFailureLogTest {
  private final Clock clock = Clock.systemUTC();
  @TempDir
  Path backupDir;
  private TestServices s;
  private long home;

  @BeforeEach
  void oneInstance() {
    s = new TestServices(backupDir, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = s.instances.list().get(0).id();
  }

  @Test
  void aManualBackupTheBusyDatabaseCutShortIsOneWarnLineNamingTheInstanceAndTheJob() throws Exception {
    String logged = runManually(s.queuedRunsFailingWith(new DatabaseBusyException(DatabaseBusyException.Access.WRITE,
        DatabaseBusyException.Limit.FILE_LOCKED, new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)")), clock));

    assertThat(lines(logged)).singleElement().asString().contains("WARN", "Manual backup of", "HOME", "(job ", "was cut short",
        "start it again");
    assertThat(logged).doesNotContain("\tat ");
  }

  @Test
  void aManualBackupTheBusyDatabaseCutShortDuringItsDownloadIsOneWarnLineWithoutATrace() throws Exception {
    s.gateway.fail(busy());

    String logged = runManually(s.backups.runs());

    assertThat(lines(logged)).singleElement().asString().contains("WARN", "Manual backup of Pi-hole 'Pi-hole HOME'", "was cut short",
        "start it again", "another process that keeps the SQLite file");
    assertThat(logged).doesNotContain("\tat ");
    assertThat(s.backupRepository.findByInstance(home, 1)).singleElement().extracting(b -> b.errorCode()).isEqualTo("database_busy");
  }

  @Test
  void aScheduledBackupTheBusyDatabaseCutShortDuringItsDownloadIsOneWarnLineSayingWhenItRunsAgain() {
    s.gateway.fail(busy());
    BackupJob job = job(s.backups.runs(), new BackupTickets(s.backups.runs(), s.catalog, s.jobs));

    String logged;
    try (CapturedOutput output = CapturedOutput.start()) {
      job.runHere(home, null);
      logged = output.text();
    }

    assertThat(lines(logged)).singleElement().asString().contains("WARN", "Scheduled backup of Pi-hole 'Pi-hole HOME'", "because of the database",
        "another process that keeps the SQLite file", "it runs at its next scheduled time");
    assertThat(logged).doesNotContain("\tat ");
  }

  private static DatabaseBusyException busy() {
    return new DatabaseBusyException(DatabaseBusyException.Access.WRITE, DatabaseBusyException.Limit.FILE_LOCKED,
        new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)"));
  }

  @Test
  void aManualBackupThatFailedUnexpectedlyIsOneErrorWithItsTrace() throws Exception {
    String logged = runManually(s.queuedRunsFailingWith(new IllegalStateException("a surprise"), clock));

    assertThat(lines(logged)).singleElement().asString().contains("ERROR", "Manual backup of", "HOME", "failed", "start it again");
    assertThat(logged.split("IllegalStateException: a surprise", -1)).as("one trace").hasSize(2);
  }

  @Test
  void aManualBackupThatAnotherRunOfItsInstanceCameBeforeIsOneWarnLineWithoutATrace() throws Exception {
    String logged = runManually(s.queuedRunsFailingWith(new BackupConflictException("a backup of 'HOME' is already running"), clock));

    assertThat(lines(logged)).singleElement().asString().contains("WARN", "Manual backup of", "HOME", "did not run",
        "a backup of 'HOME' is already running");
    assertThat(logged).doesNotContain("\tat ");
  }

  @Test
  void aManualBackupThePiholeFailedIsOneLine() throws Exception {
    s.gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "Pi-hole 'HOME' refused the password"));

    String logged = runManually(s.backups.runs());

    assertThat(lines(logged)).singleElement().asString().contains("WARN", "HOME", "refused the password");
  }

  /** Queues a manual backup of HOME and runs it as the scheduler's job does; what was logged meanwhile. */
  private String runManually(BackupService backups) throws InterruptedException {
    BackupTickets tickets = new BackupTickets(backups, s.catalog, s.jobs);
    BackupJob job = job(backups, tickets);
    try (CapturedOutput output = CapturedOutput.start()) {
      BackupTicket ticket = new BackupQueue(s.backups.locks(), tickets, job::runHere).enqueue(home);
      assertThat(tickets.await(ticket, 10).job().finished()).isTrue();
      return output.text();
    }
  }

  private BackupJob job(BackupService backups, BackupTickets tickets) {
    return new BackupJob(backups, tickets, ArchiveWork.unbounded(), new BackupSlots(1), clock, false,
        new UnstartedRuns(UnstartedRuns.Listener.NONE), Duration.ofSeconds(30), s.instances::lookUp, new LocalTimeText(ZoneOffset.UTC));
  }

  /** The log's lines of one level or another, without a trace's lines. */
  private static List<String> lines(String logged) {
    return logged.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("[WARN]") || l.contains("[ERROR]")).toList();
  }
}
