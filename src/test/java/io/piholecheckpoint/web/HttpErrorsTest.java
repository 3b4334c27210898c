package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.piholecheckpoint.core.archive.ArchiveBusyException;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.registry.InstanceConflictException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.testing.Ports;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

class HttpErrorsTest {

  static Stream<Arguments> callersFaults() {
    return Stream.of(
        Arguments.of(new InstanceNotFoundException(7), 404, "instance_not_found"),
        Arguments.of(new BackupNotFoundException("no backup with id 7"), 404, "backup_not_found"),
        Arguments.of(new BackupConflictException("pinned"), 409, "backup_conflict"),
        Arguments.of(new io.piholecheckpoint.core.restore.parts.RestoreRefusedException("backup 7 has no lists"), 422, "restore_refused"),
        Arguments.of(new InstanceConflictException("removed"), 409, "instance_conflict"),
        Arguments.of(new io.piholecheckpoint.core.destination.DestinationDeletedException("NAS"), 409, "destination_deleted"),
        Arguments.of(new ValidationException(Map.of("url", "required")), 400, "validation_failed"),
        Arguments.of(new InvalidArchiveException("no gravity.db"), 422, "invalid_archive"),
        Arguments.of(new ArchiveBusyException(5), 503, "archive_busy"),
        Arguments.of(new ArchiveStorageException("disk full"), 503, "storage_error"),
        Arguments.of(new WrongPassphraseException("cannot decrypt the archive"), 409, "wrong_passphrase"),
        Arguments.of(new io.piholecheckpoint.core.backup.ServerStoppingException("stopping", null), 503, "stopping"),
        Arguments.of(new PiholeException(PiholeException.Failure.TIMEOUT, "slow"), 504, "timeout"),
        Arguments.of(new PiholeException(PiholeException.Failure.UNREACHABLE, "down"), 502, "unreachable"),
        Arguments.of(new Json.BadRequestException(413, "too big"), 413, "too_large"));
  }

  @ParameterizedTest
  @MethodSource("callersFaults")
  void answersEachCoreExceptionWithItsStatusAndCode(RuntimeException e, int status, String code) {
    HttpErrors.Answer answer = HttpErrors.of(e).orElseThrow();

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.code()).isEqualTo(code);
  }

  @Test
  void leavesAnythingElseToTheContainerAsA500() {
    assertThat(HttpErrors.of(new IllegalStateException("a bug"))).isEmpty();
  }

  @Test
  void aPoolWithNoConnectionFreeIs503WithRetryAfterNotA500(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (org.apache.commons.dbcp2.BasicDataSource pool = new org.apache.commons.dbcp2.BasicDataSource()) {
      pool.setUrl("jdbc:sqlite:" + dir.resolve("busy.db"));
      pool.setMaxTotal(1);
      pool.setMaxWait(java.time.Duration.ofMillis(50));
      try (java.sql.Connection held = pool.getConnection()) {
        SQLException busy = catchThrowableOfType(SQLException.class, pool::getConnection);

        HttpErrors.Answer answer = HttpErrors.of(new PersistenceException("### Error querying database", busy)).orElseThrow();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.code()).isEqualTo("database_busy");
        assertThat(answer.retryAfterSeconds()).isEqualTo(5L);
      }
    }
  }

  @Test
  void aNameAnotherInstanceHasIsAConflictNamingTheField() {
    HttpErrors.Answer answer = HttpErrors.of(new io.piholecheckpoint.core.registry.InstanceNameTakenException("There is already an instance"))
        .orElseThrow();

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.fields()).containsEntry("name", "There is already an instance");
  }

  @Test
  void aDatabaseThatCannotBeReachedIs503WhereverTheConnectionFailureIsWrapped() throws Exception {
    PGSimpleDataSource down = new PGSimpleDataSource();
    down.setURL("jdbc:postgresql://127.0.0.1:" + Ports.unused() + "/checkpoint");
    down.setConnectTimeout(5);
    SQLException refused = catchThrowableOfType(SQLException.class, down::getConnection);

    // as MyBatis hands it on from a mapper call
    HttpErrors.Answer answer = HttpErrors.of(new PersistenceException("### Error querying database", refused))
        .orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.code()).isEqualTo("database_unreachable");
    assertThat(answer.message()).startsWith("database unreachable: ");
    assertThat(refused.getMessage()).as("the driver ends its sentences itself").endsWith(".");
    assertThat(answer.pageMessage()).as("the sentences added after the driver's: one period between").doesNotContain("..");
    assertThat(HttpErrors.of(new PersistenceException("a query", new SQLException("syntax error", "42601"))))
        .as("a failed query on a live connection is a fault of ours").isEmpty();
  }

  /** A server restarting cuts the statements under way with these, not with class 08: the request is not at fault, and may come again. */
  @ParameterizedTest
  @ValueSource(strings = {"57P01", "57P02", "57P03", "08006"})
  void aDatabaseServerGoingDownUnderAQueryIs503(String sqlState) {
    SQLException cut = new SQLException("FATAL: terminating connection due to administrator command", sqlState);

    HttpErrors.Answer answer = HttpErrors.of(new PersistenceException("### Error updating database", cut)).orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.code()).isEqualTo("database_unreachable");
    assertThat(answer.retryAfterSeconds()).isNotNull();
  }

  /** A read cancelled at its time limit, or a lock not had within lock_timeout: another session holds a lock, the database is busy. */
  @ParameterizedTest
  @EnumSource(value = DatabaseBusyException.Limit.class, mode = EnumSource.Mode.EXCLUDE, names = "POOL_WAIT")
  void aReadThatWaitedTooLongForALockIs503DatabaseBusy(DatabaseBusyException.Limit limit) {
    SQLException cancelled = new SQLException("ERROR: canceling statement due to user request", "57014");

    // as the persistence adapter raises it, and as a caller may wrap it
    HttpErrors.Answer answer = HttpErrors.of(new IllegalStateException("could not list", new DatabaseBusyException(
        DatabaseBusyException.Access.READ, limit, cancelled))).orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.code()).isEqualTo("database_busy");
    assertThat(answer.message()).startsWith("database busy: ").contains("lock");
    assertThat(answer.retryAfterSeconds()).isEqualTo(5L);
    assertThat(answer.message()).as("a read, whether cancelled at its limit or refused at lock_timeout, says so").contains("a read waited");
  }

  /** Every pooled connection in use for the pool's whole wait: the database is busy too, but no lock is to blame. */
  @Test
  void aRequestThatGotNoPooledConnectionIs503DatabaseBusyAndSaysSo() {
    HttpErrors.Answer answer = HttpErrors.of(new IllegalStateException("could not list", new DatabaseBusyException(
        DatabaseBusyException.Access.READ, DatabaseBusyException.Limit.POOL_WAIT, new SQLException("Cannot get a connection")))).orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.code()).isEqualTo("database_busy");
    assertThat(answer.message()).startsWith("database busy: ").contains("connection").doesNotContain("lock");
    assertThat(answer.retryAfterSeconds()).isEqualTo(5L);
  }

  /**
   * lock_timeout (DATABASE_LOCK_WAIT_SECONDS) bounds a plain read's wait for a lock as well: a read refused so says it was a read.
   * Read or write is what the persistence adapter says it was, not what the wrapped message's wording suggests.
   */
  @Test
  void aReadRefusedAtTheLockWaitSaysAReadWaitedNotThatAWriteWasRefused() {
    SQLException refused = new SQLException("ERROR: canceling statement due to lock timeout", "55P03");
    RuntimeException wordedAsAWrite = new RuntimeException("\n### Error updating database.  Cause: " + refused, refused);

    HttpErrors.Answer read = HttpErrors.of(new DatabaseBusyException(DatabaseBusyException.Access.READ, DatabaseBusyException.Limit.LOCK_WAIT,
        wordedAsAWrite)).orElseThrow();
    HttpErrors.Answer write = HttpErrors.of(new DatabaseBusyException(DatabaseBusyException.Access.WRITE, DatabaseBusyException.Limit.LOCK_WAIT,
        refused)).orElseThrow();

    assertThat(read.code()).isEqualTo("database_busy");
    assertThat(read.message()).contains("a read waited").contains("DATABASE_LOCK_WAIT_SECONDS").doesNotContain("written");
    assertThat(read.pageMessage()).contains("a read waited").contains("pg_stat_activity").doesNotContain("..");
    assertThat(read.retryAfterSeconds()).isEqualTo(5L);
    assertThat(write.message()).contains("a write waited").contains("nothing was written");
  }

  /** SQLite's busy wait ran out on a file another connection holds: busy as on PostgreSQL, in SQLite's words. */
  @Test
  void aSqliteFileHeldByAnotherConnectionIs503DatabaseBusyNamingTheFileNotPostgres() {
    SQLException locked = new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)", null, 5);

    HttpErrors.Answer read = HttpErrors.of(new DatabaseBusyException(DatabaseBusyException.Access.READ, DatabaseBusyException.Limit.FILE_LOCKED,
        locked)).orElseThrow();
    HttpErrors.Answer write = HttpErrors.of(new DatabaseBusyException(DatabaseBusyException.Access.WRITE,
        DatabaseBusyException.Limit.FILE_LOCKED, locked)).orElseThrow();

    assertThat(read.status()).isEqualTo(503);
    assertThat(read.code()).isEqualTo("database_busy");
    assertThat(read.message()).contains("a read waited").contains("database file").doesNotContain("written");
    assertThat(write.message()).contains("a write waited").contains("nothing was written").doesNotContain("DATABASE_LOCK_WAIT_SECONDS");
    assertThat(write.pageMessage()).contains("checkpoint.db").doesNotContain("pg_stat_activity");
    assertThat(write.retryAfterSeconds()).isEqualTo(5L);
  }

  @Nested
  class OnPages {
    @Test
    void saysPlainlyThatAnInstanceIsMissing() {
      HttpErrors.Answer answer = HttpErrors.of(new InstanceNotFoundException(7)).orElseThrow();

      assertThat(answer.title()).isEqualTo("Not found");
      assertThat(answer.pageMessage()).isEqualTo("There is no such Pi-hole instance.");
    }

    @Test
    void tellsHowToReadAnEncryptedArchiveItCannotRead() {
      HttpErrors.Answer answer = HttpErrors.of(ArchiveStorageException.ofEncrypted("bad passphrase")).orElseThrow();

      assertThat(answer.pageMessage()).startsWith("The archive of this backup cannot be read: bad passphrase.")
          .contains("BACKUP_ENCRYPTION_PASSPHRASE");
    }

    /** A plain archive is never opened with the passphrase: naming it sent people after the wrong setting. */
    @Test
    void saysAnUnencryptedArchiveItCannotReadIsDamagedWithoutThePassphrase() {
      HttpErrors.Answer answer = HttpErrors.of(new ArchiveStorageException("the archive x.zip is damaged on this disk")).orElseThrow();

      assertThat(answer.pageMessage()).startsWith("The archive of this backup cannot be read: the archive x.zip is damaged on this disk.")
          .contains("damaged or missing", "put the file back").doesNotContain("PASSPHRASE").doesNotContainIgnoringCase("passphrase that");
    }

    @Test
    void asksToComeBackWhenTheArchiveIsBusy() {
      assertThat(HttpErrors.of(new ArchiveBusyException(5)).orElseThrow().retryAfterSeconds()).isEqualTo(5L);
    }
  }

  @Test
  void namesTheParameterOfABadRequest() {
    HttpErrors.Answer answer = HttpErrors.of(new Json.BadRequestException(400, "bad_parameter", "limit", "limit must be a number"))
        .orElseThrow();

    assertThat(answer.field()).isEqualTo("limit");
    assertThat(answer.pageMessage()).isEqualTo("limit must be a number.");
  }

  @Test
  void aCertificateProbeOfAnUnusableUrlIsTheCallersFault() {
    assertThat(HttpErrors.ofCertificateProbe(new PiholeException(PiholeException.Failure.MISCONFIGURED, "not https")).status()).isEqualTo(400);
    assertThat(HttpErrors.ofCertificateProbe(new PiholeException(PiholeException.Failure.TIMEOUT, "slow")).status()).isEqualTo(502);
  }
}
