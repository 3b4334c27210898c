package io.piholecheckpoint.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.CapturedOutput;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseOutagesTest {
  private final List<Duration> waits = new ArrayList<>();
  private final DatabaseOutages outages = new DatabaseOutages(waits::add);

  /**
   * As MyBatis hands a driver's failure on: wrapped, the SQLException a cause; a lock another session held past the lock wait
   * (55P03) or a read's limit (57014) as the persistence adapter reports it, typed busy.
   */
  private static RuntimeException wrapped(String sqlState) {
    SQLException refused = new SQLException("the server said no", sqlState);
    return switch (sqlState) {
      case "55P03" -> new DatabaseBusyException(DatabaseBusyException.Access.WRITE, DatabaseBusyException.Limit.LOCK_WAIT, refused);
      case "57014" -> new DatabaseBusyException(DatabaseBusyException.Access.READ, DatabaseBusyException.Limit.READ_LIMIT, refused);
      default -> new RuntimeException("### Error updating database", refused);
    };
  }

  /** An outage, or a lock another session held past the lock wait (55P03) or a read's limit (57014): the database is busy. */
  @ParameterizedTest
  @ValueSource(strings = {"08001", "08006", "08003", "57P01", "57P02", "57P03", "55P03", "57014"})
  void retriesAWriteThroughAnOutageOrALockBackingOffFromOneSecondDoublingToFifteen(String sqlState) {
    AtomicInteger tries = new AtomicInteger();

    String written = outages.record("the end of job 1 of instance 3", () -> {
      if (tries.incrementAndGet() <= 7) {
        throw wrapped(sqlState);
      }
      return "recorded";
    });

    assertThat(written).isEqualTo("recorded");
    assertThat(tries).hasValue(8);
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
        Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(15));
  }

  /** The SQLite file moved away: the end is kept, tried every second until it is put back, and shown as unrecorded meanwhile. */
  @Test
  void keepsAWriteRefusedForTheFileMovedAwayTryingEverySecondAndSaysItIsUnrecordedMeanwhile() {
    AtomicInteger tries = new AtomicInteger();
    List<List<String>> unrecorded = new ArrayList<>();
    DatabaseOutages watched = new DatabaseOutages(pause -> {
      waits.add(pause);
      unrecorded.add(null);
    });
    DatabaseOutages[] self = {watched};

    String written = watched.record("the end of job 1 of instance 3", () -> {
      if (tries.get() > 0) {
        unrecorded.set(tries.get() - 1, self[0].unrecorded());
      }
      if (tries.incrementAndGet() <= 4) {
        throw new RuntimeException("### Error updating database", new DatabaseFileGoneException("the database file x was removed"));
      }
      return "recorded";
    });

    assertThat(written).isEqualTo("recorded");
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(unrecorded).allSatisfy(u -> assertThat(u).containsExactly("the end of job 1 of instance 3"));
    assertThat(watched.unrecorded()).as("recorded now").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"42601", "23505", "40001"})
  void throwsAFailureThatIsNoOutageAtOnce(String sqlState) {
    AtomicInteger tries = new AtomicInteger();

    assertThatThrownBy(() -> outages.record("the end of job 1", () -> {
      tries.incrementAndGet();
      throw wrapped(sqlState);
    })).hasRootCauseMessage("the server said no");

    assertThat(tries).hasValue(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void givesUpWhenInterruptedNamingWhatWasNotRecordedAndKeepsTheInterrupt() {
    DatabaseOutages interrupting = new DatabaseOutages(d -> {
      throw new InterruptedException();
    });

    try (CapturedOutput log = CapturedOutput.start()) {
      assertThatThrownBy(() -> interrupting.record("the end (done) of job 7 of instance 3", (Runnable) () -> {
        throw wrapped("08006");
      })).hasRootCauseMessage("the server said no");

      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller (and cleared here)").isTrue();
      assertThat(log.text()).contains("Gave up recording the end (done) of job 7 of instance 3");
    }
  }

  @Test
  void afterStopAWriteGivesUpAtItsFirstOutageAndOneThatSucceedsIsStillWritten() {
    outages.stop();
    AtomicInteger tries = new AtomicInteger();

    assertThatThrownBy(() -> outages.record("the end of job 1", (Runnable) () -> {
      tries.incrementAndGet();
      throw wrapped("57P01");
    })).isInstanceOf(RuntimeException.class);
    Thread.interrupted();

    assertThat(tries).hasValue(1);
    assertThat(outages.record("the end of job 2", () -> 2)).isEqualTo(2);
  }

  /** A restore's step message lost while the database is away is skipped (the restore goes on); any other failure is thrown. */
  @Test
  void aSkippingWriteSkipsOnlyWhatPasses() {
    List<String> written = new ArrayList<>();
    java.util.function.Consumer<String> skipping = DatabaseOutages.skippingWhilePassing(step -> {
      if (step.startsWith("away")) {
        throw new RuntimeException("### Error updating database", new DatabaseFileGoneException("the database file x was removed"));
      }
      if (step.startsWith("broken")) {
        throw new IllegalStateException("a defect");
      }
      written.add(step);
    }, "A step");

    skipping.accept("away: importing");
    skipping.accept("checking the result");

    assertThat(written).containsExactly("checking the result");
    assertThatThrownBy(() -> skipping.accept("broken")).isInstanceOf(IllegalStateException.class);
  }
}
