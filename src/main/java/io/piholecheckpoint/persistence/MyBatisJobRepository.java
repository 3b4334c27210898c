package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.job.JobRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;

/**
 * Each call one committed transaction: what a job reached is on disk, and visible to every node, before the next step. A
 * progress write waits for no lock another session holds: it is refused at once, as busy (see {@link JobRepository#progress}).
 */
public class MyBatisJobRepository implements JobRepository {
  private final Database database;

  public MyBatisJobRepository(Database database) {
    this.database = database;
  }

  @Override
  public boolean insert(Job job) {
    // not fsynced: the run's marker (a backup) or its first write (a sync) commits durably a moment later, and with it this row;
    // a power loss before that loses the queued run itself (Quartz holds it in memory), so the row would only say it was lost
    try (SqlSession session = database.openSessionSyncedLater()) {
      int n = session.getMapper(JobMapper.class).insert(JobRow.of(job));
      session.commit();
      return n == 1;
    }
  }

  @Override
  public void delete(String id) {
    write(m -> {
      m.delete(id);
      return 0;
    });
  }

  @Override
  public void progress(String id, Job.State state, long bytes, Long expectedBytes) {
    try (SqlSession session = database.openSessionWithoutWaiting()) {
      JobMapper mapper = session.getMapper(JobMapper.class);
      if (database.dialect() == Dialect.POSTGRESQL) {
        mapper.noLockWait();
      }
      mapper.progress(id, state, bytes, expectedBytes);
      session.commit();
    }
  }

  @Override
  public void running(String id, List<Long> records) {
    write(m -> {
      m.running(id, JobRow.joined(records));
      return 0;
    });
  }

  @Override
  public Optional<Job> finish(String id, Job.State state, List<Long> records, String errorCode, String error, Instant at, Long bytes) {
    try (SqlSession session = database.sessions().openSession(false)) {
      JobRow ended = session.getMapper(JobMapper.class).finish(id, state, JobRow.joined(records), errorCode, error, at, bytes);
      session.commit(true); // a statement that returns rows is a select to MyBatis, which commits only a "dirty" session unless forced
      return Optional.ofNullable(ended).map(JobRow::toJob);
    }
  }

  @Override
  public Optional<Job> find(String id) {
    return read(m -> m.findById(id));
  }

  @Override
  public Optional<Job> findUnfinished(Job.Kind kind, String subject) {
    return read(m -> m.findUnfinished(kind, subject));
  }

  @Override
  public List<Job> findUnfinished(Job.Kind kind) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(JobMapper.class).findUnfinishedOfKind(kind).stream().map(JobRow::toJob).toList();
    }
  }

  @Override
  public int interrupt(String node, Instant queuedBefore, String error, Instant at) {
    return write(m -> m.interrupt(node, queuedBefore, Job.INTERRUPTED, error, at));
  }

  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    return write(m -> m.deleteFinishedBefore(cutoff));
  }

  private Optional<Job> read(Function<JobMapper, JobRow> query) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(query.apply(session.getMapper(JobMapper.class))).map(JobRow::toJob);
    }
  }

  private int write(Function<JobMapper, Integer> statement) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int n = statement.apply(session.getMapper(JobMapper.class));
      session.commit();
      return n;
    }
  }
}
