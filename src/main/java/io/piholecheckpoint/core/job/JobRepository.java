package io.piholecheckpoint.core.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where jobs are kept; each call its own transaction. A write to a finished job changes nothing. */
public interface JobRepository {

  /** Stores a new job; false (nothing stored) when its subject has an unfinished job of its kind already, on any node. */
  boolean insert(Job job);

  void delete(String id);

  /**
   * Best effort: where another session holds a lock the write needs, it is refused at once ({@link DatabaseBusyException}),
   * not after the database's lock wait, as it is written on the thread that reads the archive and would stall the download.
   */
  void progress(String id, Job.State state, long bytes, Long expectedBytes);

  /**
   * A sync run's job {@link Job.State#RUNNING}, with the runs of its replicas recorded so far. Unlike {@link #progress} it waits
   * its turn for the lock as any write does: it is written once per replica, off any download's thread, and a refusal at once
   * (SQLite's write lock held a moment by the scheduler as the run starts) left the job "queued" for the whole run.
   */
  void running(String id, List<Long> records);

  /**
   * Ends a job once, its bytes as they are; a job marked interrupted meanwhile is ended all the same (its node was alive and finished it).
   *
   * @return the job as this write ended it; empty when it was ended already, or is gone
   */
  default Optional<Job> finish(String id, Job.State state, List<Long> records, String errorCode, String error, Instant at) {
    return finish(id, state, records, errorCode, error, at, null);
  }

  /**
   * As {@link #finish(String, Job.State, List, String, String, Instant)}, with the job's last bytes in the same write
   * ({@code bytes} null: as they are), so that an end that has a size to show costs no progress write of its own.
   */
  Optional<Job> finish(String id, Job.State state, List<Long> records, String errorCode, String error, Instant at, Long bytes);

  Optional<Job> find(String id);

  Optional<Job> findUnfinished(Job.Kind kind, String subject);

  /** Every unfinished job of the kind: at most one per subject. */
  List<Job> findUnfinished(Job.Kind kind);

  /**
   * Fails every unfinished job queued before {@code queuedBefore} with {@link Job#INTERRUPTED} and
   * {@code error}, only those opened by {@code node} unless it is null; how many.
   */
  int interrupt(String node, Instant queuedBefore, String error, Instant at);

  /** Deletes the jobs finished before {@code cutoff}; how many. */
  int deleteFinishedBefore(Instant cutoff);
}
