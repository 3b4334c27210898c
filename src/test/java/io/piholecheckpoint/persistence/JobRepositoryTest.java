package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.job.JobRepository;
import io.piholecheckpoint.testing.InMemoryJobRepository;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** What jobs may expect of their repository: on a real SQLite file and PostgreSQL database, and of the in-memory one the core's tests use. */
@ParameterizedClass
@ValueSource(strings = {"SQLITE", "POSTGRESQL", "MEMORY"})
class JobRepositoryTest {
  private static final Instant T = Instant.parse("2026-12-04T02:00:00Z");
  @Parameter
  String kind;
  @TempDir
  Path dir;
  private Database database;
  private JobRepository jobs;

  @BeforeEach
  void open() {
    if (kind.equals("MEMORY")) {
      jobs = new InMemoryJobRepository();
    } else {
      database = MigratedDatabase.open(Dialect.valueOf(kind), dir);
      jobs = new MyBatisJobRepository(database);
    }
  }

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  private static Job queued(Job.Kind kind, String subject, Instant at) {
    return queued(kind, subject, at, "node-a");
  }

  private static Job queued(Job.Kind kind, String subject, Instant at, String node) {
    return new Job(UUID.randomUUID().toString(), kind, subject, Job.State.QUEUED, 0, null, List.of(), null, null, at, null, node);
  }

  @Test
  void aSubjectHasOneUnfinishedJobOfAKindAtATimeWhicheverNodeAsks() {
    Job first = queued(Job.Kind.BACKUP, "3", T);

    assertThat(jobs.insert(first)).isTrue();
    assertThat(jobs.insert(queued(Job.Kind.BACKUP, "3", T, "node-b"))).isFalse();
    assertThat(jobs.insert(queued(Job.Kind.SYNC, "3", T, "node-b"))).as("another kind").isTrue();
    assertThat(jobs.insert(queued(Job.Kind.BACKUP, "4", T, "node-b"))).as("another subject").isTrue();
    assertThat(jobs.findUnfinished(Job.Kind.BACKUP, "3")).contains(first);
    assertThat(jobs.findUnfinished(Job.Kind.BACKUP)).extracting(Job::subject).containsExactlyInAnyOrder("3", "4");

    jobs.finish(first.id(), Job.State.DONE, List.of(17L), null, null, T.plusSeconds(5));

    assertThat(jobs.findUnfinished(Job.Kind.BACKUP, "3")).isEmpty();
    assertThat(jobs.insert(queued(Job.Kind.BACKUP, "3", T.plusSeconds(6), "node-b"))).isTrue();
  }

  @Test
  void keepsProgressAndWhatAJobWroteAndNothingChangesAFinishedJob() {
    Job job = queued(Job.Kind.SYNC, "home", T);
    jobs.insert(job);

    jobs.progress(job.id(), Job.State.DOWNLOADING, 4096, 8192L);
    assertThat(jobs.find(job.id()).orElseThrow()).extracting(Job::state, Job::bytes, Job::expectedBytes)
        .containsExactly(Job.State.DOWNLOADING, 4096L, 8192L);
    Optional<Job> ended = jobs.finish(job.id(), Job.State.FAILED, List.of(5L, 6L, 7L), "timeout", "the Pi-hole did not answer", T.plusSeconds(9));
    jobs.progress(job.id(), Job.State.VERIFYING, 9999, null);
    Optional<Job> again = jobs.finish(job.id(), Job.State.DONE, List.of(), null, null, T.plusSeconds(10));

    Job failed = new Job(job.id(), Job.Kind.SYNC, "home", Job.State.FAILED, 4096, 8192L, List.of(5L, 6L, 7L), "timeout",
        "the Pi-hole did not answer", T, T.plusSeconds(9), "node-a");
    assertThat(jobs.find(job.id())).contains(failed);
    assertThat(ended).as("the end hands back the row as a read would find it").contains(failed);
    assertThat(again).as("an end of a finished job ends nothing").isEmpty();
  }

  /** A sync run's job shows itself running with the replicas' runs recorded so far; its end is the last word. */
  @Test
  void aRunningJobShowsTheRunsRecordedSoFarAndNothingChangesItOnceFinished() {
    Job job = queued(Job.Kind.SYNC, "home", T);
    jobs.insert(job);

    jobs.running(job.id(), List.of());
    assertThat(jobs.find(job.id()).orElseThrow()).extracting(Job::state, Job::records).containsExactly(Job.State.RUNNING, List.of());
    jobs.running(job.id(), List.of(5L));
    assertThat(jobs.find(job.id()).orElseThrow()).extracting(Job::state, Job::records, Job::finished)
        .containsExactly(Job.State.RUNNING, List.of(5L), false);
    jobs.finish(job.id(), Job.State.DONE, List.of(5L, 6L), null, null, T.plusSeconds(9));
    jobs.running(job.id(), List.of(5L));

    assertThat(jobs.find(job.id()).orElseThrow()).extracting(Job::state, Job::records).containsExactly(Job.State.DONE, List.of(5L, 6L));
  }

  /** A backup's end carries the size of the archive it kept, in the end's own write; an end without a size keeps the bytes there. */
  @Test
  void anEndWritesTheBytesItIsGivenAndKeepsThoseThereWhenGivenNone() {
    Job sized = queued(Job.Kind.BACKUP, "1", T);
    Job plain = queued(Job.Kind.BACKUP, "2", T);
    jobs.insert(sized);
    jobs.insert(plain);
    jobs.progress(sized.id(), Job.State.DOWNLOADING, 8192, 22_747L);
    jobs.progress(plain.id(), Job.State.DOWNLOADING, 8192, 22_747L);

    jobs.finish(sized.id(), Job.State.DONE, List.of(3L), null, null, T.plusSeconds(1), 22_747L);
    jobs.finish(plain.id(), Job.State.DONE, List.of(4L), null, null, T.plusSeconds(1));

    assertThat(jobs.find(sized.id()).orElseThrow()).extracting(Job::state, Job::bytes, Job::finishedAt)
        .containsExactly(Job.State.DONE, 22_747L, T.plusSeconds(1));
    assertThat(jobs.find(plain.id()).orElseThrow().bytes()).isEqualTo(8192L);
  }

  @Test
  void interruptsTheUnfinishedJobsQueuedBeforeAMomentAndForgetsTheFinishedOnesBeforeAnother() {
    Job old = queued(Job.Kind.BACKUP, "1", T);
    Job recent = queued(Job.Kind.BACKUP, "2", T.plusSeconds(3600));
    Job done = queued(Job.Kind.SYNC, "home", T);
    List.of(old, recent, done).forEach(j -> jobs.insert(j));
    jobs.finish(done.id(), Job.State.DONE, List.of(), null, null, T.plusSeconds(60));

    assertThat(jobs.interrupt("node-b", T.plusSeconds(1800), "stopped", T.plusSeconds(7200))).as("another node's").isZero();
    assertThat(jobs.interrupt(null, T.plusSeconds(1800), "stopped", T.plusSeconds(7200))).isEqualTo(1);

    assertThat(jobs.find(old.id()).orElseThrow()).extracting(Job::state, Job::errorCode, Job::error, Job::finishedAt)
        .containsExactly(Job.State.FAILED, Job.INTERRUPTED, "stopped", T.plusSeconds(7200));
    assertThat(jobs.find(recent.id()).orElseThrow().finished()).isFalse();
    assertThat(jobs.deleteFinishedBefore(T.plusSeconds(61))).isEqualTo(1);
    assertThat(jobs.find(done.id())).isEmpty();
    assertThat(jobs.find(old.id())).isPresent();
  }

  @Test
  void aJobItsLiveNodeEndsAfterItWasMarkedInterruptedSaysHowItEnded() {
    Job job = queued(Job.Kind.BACKUP, "3", T);
    jobs.insert(job);
    jobs.interrupt("node-a", T.plusSeconds(1), "interrupted: node node-a stopped checking in", T.plusSeconds(30));

    jobs.finish(job.id(), Job.State.DONE, List.of(42L), null, null, T.plusSeconds(40));

    assertThat(jobs.find(job.id()).orElseThrow()).extracting(Job::state, Job::records, Job::errorCode, Job::error, Job::finishedAt)
        .containsExactly(Job.State.DONE, List.of(42L), null, null, T.plusSeconds(40));
  }

  @Test
  void aDroppedJobIsGoneAndFreesItsSubject() {
    Job job = queued(Job.Kind.BACKUP, "3", T);
    jobs.insert(job);

    jobs.delete(job.id());

    assertThat(jobs.find(job.id())).isEmpty();
    assertThat(jobs.insert(queued(Job.Kind.BACKUP, "3", T, "node-a"))).isTrue();
  }
}
