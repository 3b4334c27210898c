package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisSessionStore;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** Sessions in a real migrated SQLite file and PostgreSQL database, as every node of one database sees them. */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class SessionsTest {
  private static final byte[] KEY = "the key derived from the app password".getBytes(StandardCharsets.UTF_8);
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T10:00:00Z"));
  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  private Database database;
  private CountingStore store;
  private Sessions sessions;

  @BeforeEach
  void open() {
    database = MigratedDatabase.open(dialect, dir);
    store = new CountingStore(new MyBatisSessionStore(database));
    sessions = node(KEY);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private Sessions node(byte[] key) {
    return new Sessions(store, clock, Duration.ofMinutes(30), new SecureRandom(), () -> key);
  }

  @Test
  void aStartedSessionIsLiveAndUnguessable() {
    String a = sessions.start();
    String b = sessions.start();

    assertThat(sessions.touch(a)).isTrue();
    assertThat(a).hasSize(43).isNotEqualTo(b);
    assertThat(sessions.touch("x".repeat(43))).isFalse();
    assertThat(sessions.touch(null)).isFalse();
  }

  @Test
  void endsAfterTheIdleTimeoutButActivityKeepsItAlive() {
    String id = sessions.start();

    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(id)).isTrue();
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(id)).isTrue();
    clock.advance(Duration.ofMinutes(30));
    assertThat(sessions.touch(id)).isFalse();
  }

  @Test
  void aSessionStartedOnOneNodeIsLiveOnAnotherAndSigningOutOnThatOneEndsItOnBoth() {
    Sessions other = node(KEY.clone());
    String id = sessions.start();

    assertThat(other.touch(id)).isTrue();
    other.end(id);

    assertThat(sessions.touch(id)).isFalse();
    assertThat(other.touch(id)).isFalse();
  }

  @Test
  void anotherAppPasswordKeyKnowsNoneOfTheSessionsStartedUnderTheOldOne() {
    String id = sessions.start();

    Sessions afterPasswordChange = node("another password's key".getBytes(StandardCharsets.UTF_8));

    assertThat(afterPasswordChange.touch(id)).isFalse();
    assertThat(sessions.touch(id)).as("the old password's nodes still know it").isTrue();
  }

  @Test
  void activityIsWrittenAtMostOnceAMinuteNotAtEveryRequest() {
    String id = sessions.start();

    for (int i = 0; i < 59; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(sessions.touch(id)).isTrue();
    }
    assertThat(store.seenWrites).isZero();
    clock.advance(Duration.ofSeconds(1));
    sessions.touch(id);
    sessions.touch(id);

    assertThat(store.seenWrites).isEqualTo(1);
  }

  @Test
  void theDatabaseHoldsNeitherTheIdNorAnythingTheCookieCouldBeMadeFrom() throws Exception {
    String id = sessions.start();

    List<String> stored = new ArrayList<>();
    try (Connection c = MigratedDatabase.connectOutside(database); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT id_hash FROM web_session")) {
      while (rows.next()) {
        stored.add(rows.getString(1));
      }
    }

    assertThat(stored).hasSize(1).doesNotContain(id);
    assertThat(sessions.touch(stored.get(0))).as("the stored value is no cookie").isFalse();
  }

  @Test
  void theDailyRoundDeletesIdleSessionsAndKeepsLiveOnes() {
    String old = sessions.start();
    clock.advance(Duration.ofMinutes(20));
    String recent = sessions.start();
    clock.advance(Duration.ofMinutes(15));

    assertThat(sessions.pruneIdle()).isEqualTo(1);
    assertThat(sessions.touch(recent)).isTrue();
    assertThat(sessions.touch(old)).isFalse();
  }

  @Test
  void theFirstNodeToAskMakesTheSharedSecretAndEveryOtherGetsTheSame() {
    String first = store.sharedSecret("session", "made-by-node-a", clock.instant());
    String second = store.sharedSecret("session", "made-by-node-b", clock.instant());

    assertThat(first).isEqualTo("made-by-node-a");
    assertThat(second).isEqualTo("made-by-node-a");
  }

  /** The real store, counting the writes of activity. */
  /**
   * Another connection holds the database file: the session is still read, and its last-seen, written every few minutes, is
   * what cannot be written. The page is not refused for it (an outsider saw every signed-in page answer 500); the activity
   * is noted by the next request that can write it.
   */
  @Test
  void aSessionWhoseLastSeenCannotBeWrittenWhileTheDatabaseIsBusyIsStillLive() {
    String id = sessions.start();
    clock.advance(Duration.ofMinutes(10));
    store.busy = true;

    assertThat(sessions.touch(id)).isTrue();
    assertThat(store.seenWrites).as("it was tried").isEqualTo(1);

    store.busy = false;
    assertThat(sessions.touch(id)).isTrue();
    assertThat(store.seenWrites).as("and written by the next request").isEqualTo(2);
  }

  private static final class CountingStore implements SessionStore {
    private final SessionStore store;
    int seenWrites;
    /** Whether its writes of last-seen are refused as a held database file refuses them. */
    boolean busy;

    CountingStore(SessionStore store) {
      this.store = store;
    }

    @Override
    public void insert(String idHash, Instant at) {
      store.insert(idHash, at);
    }

    @Override
    public Optional<Instant> lastSeen(String idHash) {
      return store.lastSeen(idHash);
    }

    @Override
    public void seen(String idHash, Instant at) {
      seenWrites++;
      if (busy) {
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.WRITE,
            io.piholecheckpoint.core.job.DatabaseBusyException.Limit.FILE_LOCKED, null);
      }
      store.seen(idHash, at);
    }

    @Override
    public void delete(String idHash) {
      store.delete(idHash);
    }

    @Override
    public int deleteIdleSince(Instant cutoff) {
      return store.deleteIdleSince(cutoff);
    }

    @Override
    public String sharedSecret(String name, String generated, Instant at) {
      return store.sharedSecret(name, generated, at);
    }
  }
}
