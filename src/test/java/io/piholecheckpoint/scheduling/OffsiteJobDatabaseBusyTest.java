package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.testing.CapturedOutput;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;

/**
 * Outsider 49 F10: another process holding checkpoint.db locked made the off-site run log an ERROR with a 39-line stack trace
 * (and MyBatis' misleading "your driver may not support setAutoCommit") for a busy database, an expected and documented condition.
 */
class OffsiteJobDatabaseBusyTest {
  @Test
  void aRunThatTheBusyDatabaseCutsShortIsOneLineSayingWhereToLookWithoutAStackTrace() {
    CopyRepository locked = refusing(CopyRepository.class);
    OffsiteService offsite = new OffsiteService(new CopyRunner(List.of(), locked, null, Clock.systemUTC(), CopyOutcomes.NONE), locked, null,
        Clock.systemUTC());
    OffsiteJob job = new OffsiteJob(offsite, (amount, unit) -> true);

    String logged;
    try (CapturedOutput output = CapturedOutput.start()) {
      job.execute(nothing(JobExecutionContext.class));
      logged = output.text();
    }

    assertThat(logged).contains("OffsiteJob", "database busy", "checkpoint.db", "runs again within a minute")
        .doesNotContain("\tat ", "Exception");
    assertThat(logged.lines().filter(l -> l.contains("OffsiteJob"))).hasSize(1);
  }

  /** Every call refused as busy, as the persistence adapter reports SQLite's lock held by another process. */
  static <T> T refusing(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      throw new DatabaseBusyException(DatabaseBusyException.Access.WRITE, DatabaseBusyException.Limit.FILE_LOCKED,
          new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)"));
    }));
  }

  /** A stand-in whose every call does nothing and answers null: the job context a test does not look at. */
  static <T> T nothing(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> null));
  }
}
