package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.testing.CapturedOutput;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;

/**
 * Marking a dead node's work interrupted meets a busy database: expected and documented, one WARN line saying what was cut short
 * and what happens next (as JobFailures says it everywhere), not an ERROR with MyBatis' trace.
 */
class DeadNodeBusyDatabaseLogTest {
  @Test
  void aBusyDatabaseWhileMarkingADeadNodesWorkIsOneWarnLine() {
    ClusterJobStore store = new ClusterJobStore();
    store.setListeners(ClusterJobStore.register(new ClusterJobStore.Listeners((node, lastCheckIn) -> {
      throw new IllegalStateException("### Error updating database", new DatabaseBusyException(DatabaseBusyException.Access.WRITE,
          DatabaseBusyException.Limit.FILE_LOCKED, new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)")));
    }, () -> { }, () -> { })));
    SchedulerStateRecord dead = new SchedulerStateRecord();
    dead.setSchedulerInstanceId("node-b");

    String logged;
    try (CapturedOutput output = CapturedOutput.start()) {
      store.tell(dead);
      logged = output.text();
    }

    assertThat(logged.lines().filter(l -> l.contains("ClusterJobStore"))).singleElement().asString()
        .contains("WARN", "Marking the work of dead node node-b interrupted was cut short: ", "the daily round marks what is still unfinished");
    assertThat(logged).doesNotContain("ERROR", "\tat ", "SQLITE_BUSY");
  }
}
