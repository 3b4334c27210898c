package io.piholecheckpoint.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.CapturedOutput;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A job's catch-all: a busy database is one WARN line (what, when again, where to look); anything else keeps its trace. */
class JobFailuresTest {
  @Test
  void aBusyDatabaseAnywhereInTheCausesIsOneLineSayingWhatWhenAndWhereToLook() {
    RuntimeException wrapped = new IllegalStateException("the statement failed", new DatabaseBusyException(DatabaseBusyException.Access.READ,
        DatabaseBusyException.Limit.FILE_LOCKED, new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)")));

    String logged = logged(wrapped);

    assertThat(logged.lines().filter(l -> l.contains("JobFailuresTest"))).singleElement().asString()
        .contains("WARN", "Sync group home was cut short: ", "; it runs again at its next trigger — look for another process", "checkpoint.db");
    assertThat(logged).doesNotContain("\tat ", "Exception");
  }

  @Test
  void anythingElseIsAnErrorWithItsTrace() {
    String logged = logged(new IllegalStateException("a bug"));

    assertThat(logged).contains("ERROR", "Sync group home failed; it runs again at its next trigger", "IllegalStateException: a bug", "\tat ");
  }

  private static String logged(RuntimeException e) {
    try (CapturedOutput output = CapturedOutput.start()) {
      JobFailures.log(LoggerFactory.getLogger(JobFailuresTest.class), e, "Sync group home", "it runs again at its next trigger");
      return output.text();
    }
  }
}
