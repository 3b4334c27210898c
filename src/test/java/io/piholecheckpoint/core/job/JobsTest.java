package io.piholecheckpoint.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisJobRepository;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' jobs over one real SQLite file. */
class JobsTest {
  /** Node A's look for a job another node ended: a twentieth of production's second (asserted below), which it waited out. */
  private static final Duration LOOK_AGAIN = Duration.ofMillis(50);
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T02:00:00Z"));
  @TempDir
  Path dir;
  private Database database;
  private Jobs nodeA;
  private Jobs nodeB;

  @BeforeEach
  void open() {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    nodeA = new Jobs(new MyBatisJobRepository(database), clock, "a", false, DatabaseOutages.sleeping(), LOOK_AGAIN);
    nodeB = new Jobs(new MyBatisJobRepository(database), clock, "b", false);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aJobOpenedOnOneNodeIsFollowedAndEndedOnTheOtherAndBlocksASecondOfItsSubjectOnBoth() {
    Job job = nodeA.open(Job.Kind.BACKUP, "3").orElseThrow();

    assertThat(nodeB.open(Job.Kind.BACKUP, "3")).isEmpty();
    assertThat(nodeB.unfinished(Job.Kind.BACKUP, "3").map(Job::id)).contains(job.id());
    nodeB.progress(job.id(), Job.State.DOWNLOADING, 100, null);
    assertThat(nodeA.find(job.id()).orElseThrow().bytes()).isEqualTo(100);
    nodeB.done(job.id(), List.of(42L));

    assertThat(nodeA.find(job.id()).orElseThrow()).extracting(Job::state, Job::records).containsExactly(Job.State.DONE, List.of(42L));
    assertThat(nodeA.open(Job.Kind.BACKUP, "3")).isPresent();
  }

  @Test
  void theJobsOfANodeFoundDeadAreInterruptedNamingItAndTheNextOneIsAcceptedOnTheOther() {
    Job left = nodeB.open(Job.Kind.BACKUP, "3").orElseThrow();
    nodeB.progress(left.id(), Job.State.DOWNLOADING, 100, null);
    Job sync = nodeB.open(Job.Kind.SYNC, "home").orElseThrow();
    Job own = nodeA.open(Job.Kind.BACKUP, "4").orElseThrow();
    assertThat(nodeA.open(Job.Kind.BACKUP, "3")).as("blocked while b's runs").isEmpty();

    int interrupted = nodeA.interruptOf("b", "node b stopped checking in at 2026-12-04T01:59:50Z");

    assertThat(interrupted).isEqualTo(2);
    for (Job job : List.of(left, sync)) {
      assertThat(nodeA.find(job.id()).orElseThrow()).extracting(Job::state, Job::errorCode, Job::error).containsExactly(Job.State.FAILED,
          Job.INTERRUPTED, "interrupted: node b stopped checking in at 2026-12-04T01:59:50Z; start it again");
    }
    assertThat(nodeA.find(own.id()).orElseThrow().finished()).as("this node's own, running").isFalse();
    assertThat(nodeA.open(Job.Kind.BACKUP, "3")).isPresent();
  }

  @Test
  void aWaiterOfTheAppLooksAgainEverySecondForAJobAnotherNodeEnded() {
    assertThat(Jobs.LOOK_AGAIN).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aWaiterOnOneNodeSeesTheJobFinishedByAnother() throws Exception {
    Job job = nodeA.open(Job.Kind.SYNC, "home").orElseThrow();
    CompletableFuture<Optional<Job>> waited = CompletableFuture.supplyAsync(() -> {
      try {
        return nodeA.await(job.id(), 30);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    nodeB.failed(job.id(), List.of(), "sync_not_run", "the group was disabled");

    assertThat(waited.get(10, TimeUnit.SECONDS).orElseThrow()).extracting(Job::state, Job::error)
        .containsExactly(Job.State.FAILED, "the group was disabled");
  }

  @Test
  void aRestartLeavesItsNodesUnfinishedJobsInterruptedSayingSoAndFreesTheirSubjectsButNotAnotherNodes() {
    Job queued = nodeA.open(Job.Kind.BACKUP, "3").orElseThrow();
    Job running = nodeA.open(Job.Kind.SYNC, "home").orElseThrow();
    nodeA.progress(running.id(), Job.State.RUNNING, 0, null);

    Job otherNodes = nodeB.open(Job.Kind.BACKUP, "4").orElseThrow();
    Jobs restarted = new Jobs(new MyBatisJobRepository(database), clock, "a", false);
    assertThat(restarted.interruptLeftovers()).isEqualTo(2);

    for (Job job : List.of(queued, running)) {
      Job now = restarted.find(job.id()).orElseThrow();
      assertThat(now.state()).isEqualTo(Job.State.FAILED);
      assertThat(now.errorCode()).isEqualTo(Job.INTERRUPTED);
      assertThat(now.error()).contains("stopped while this job was queued or running; start it again");
    }
    assertThat(restarted.open(Job.Kind.BACKUP, "3")).isPresent();
    assertThat(restarted.find(otherNodes.id()).orElseThrow().finished()).as("node b runs it still").isFalse();
    assertThat(new Jobs(new MyBatisJobRepository(database), clock, "c", true).interruptLeftovers())
        .as("alone on its database, a process takes every job left unfinished as its own").isEqualTo(2);
  }

  @Test
  void theDailyRoundForgetsJobsFinishedAWeekAgoAndEndsOnesUnfinishedForADay() {
    Job old = nodeA.open(Job.Kind.BACKUP, "1").orElseThrow();
    nodeA.done(old.id(), List.of(1L));
    Job abandoned = nodeB.open(Job.Kind.BACKUP, "2").orElseThrow();
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    Job recent = nodeA.open(Job.Kind.BACKUP, "3").orElseThrow();

    assertThat(nodeA.prune()).isZero();
    assertThat(nodeA.find(abandoned.id()).orElseThrow().errorCode()).isEqualTo(Job.INTERRUPTED);
    assertThat(nodeA.find(recent.id()).orElseThrow().finished()).isFalse();
    clock.advance(Jobs.KEPT.plusMinutes(1));

    assertThat(nodeA.prune()).isEqualTo(2);
    assertThat(nodeA.find(old.id())).isEmpty();
    assertThat(nodeA.find(abandoned.id())).isEmpty();
    assertThat(nodeA.find(recent.id()).orElseThrow().errorCode()).isEqualTo(Job.INTERRUPTED);
  }
}
