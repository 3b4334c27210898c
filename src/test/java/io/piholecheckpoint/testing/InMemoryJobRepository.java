package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.job.JobRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs in memory, as the MyBatis repository keeps them (JobRepositoryTest holds both to the same behaviour); open to a test that
 * makes one of its writes fail as the database would.
 */
public class InMemoryJobRepository implements JobRepository {
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  @Override
  public synchronized boolean insert(Job job) {
    if (findUnfinished(job.kind(), job.subject()).isPresent() || jobs.containsKey(job.id())) {
      return false;
    }
    jobs.put(job.id(), job);
    return true;
  }

  @Override
  public synchronized void delete(String id) {
    jobs.remove(id);
  }

  @Override
  public synchronized void progress(String id, Job.State state, long bytes, Long expectedBytes) {
    jobs.computeIfPresent(id, (k, j) -> j.finished() ? j
        : new Job(j.id(), j.kind(), j.subject(), state, bytes, expectedBytes, j.records(), j.errorCode(), j.error(), j.queuedAt(), null, j.node()));
  }

  @Override
  public synchronized void running(String id, List<Long> records) {
    jobs.computeIfPresent(id, (k, j) -> j.finished() ? j
        : new Job(j.id(), j.kind(), j.subject(), Job.State.RUNNING, j.bytes(), j.expectedBytes(), records, j.errorCode(), j.error(), j.queuedAt(),
            null, j.node()));
  }

  @Override
  public synchronized Optional<Job> finish(String id, Job.State state, List<Long> records, String errorCode, String error, Instant at, Long bytes) {
    Job was = jobs.get(id);
    if (was == null || was.finished() && !Job.INTERRUPTED.equals(was.errorCode())) {
      return Optional.empty();
    }
    Job ended = new Job(was.id(), was.kind(), was.subject(), state, bytes == null ? was.bytes() : bytes, was.expectedBytes(), records, errorCode,
        error, was.queuedAt(), at, was.node());
    jobs.put(id, ended);
    return Optional.of(ended);
  }

  @Override
  public synchronized Optional<Job> find(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public synchronized Optional<Job> findUnfinished(Job.Kind kind, String subject) {
    return jobs.values().stream().filter(j -> j.kind() == kind && j.subject().equals(subject) && !j.finished()).findFirst();
  }

  @Override
  public synchronized List<Job> findUnfinished(Job.Kind kind) {
    return jobs.values().stream().filter(j -> j.kind() == kind && !j.finished()).sorted(java.util.Comparator.comparing(Job::queuedAt)).toList();
  }

  @Override
  public synchronized int interrupt(String node, Instant queuedBefore, String error, Instant at) {
    List<Job> left = jobs.values().stream().filter(j -> !j.finished() && j.queuedAt().isBefore(queuedBefore))
        .filter(j -> node == null || node.equals(j.node())).toList();
    left.forEach(j -> finish(j.id(), Job.State.FAILED, j.records(), Job.INTERRUPTED, error, at));
    return left.size();
  }

  @Override
  public synchronized int deleteFinishedBefore(Instant cutoff) {
    List<String> old = jobs.values().stream().filter(j -> j.finished() && j.finishedAt().isBefore(cutoff)).map(Job::id).toList();
    old.forEach(jobs::remove);
    return old.size();
  }
}
