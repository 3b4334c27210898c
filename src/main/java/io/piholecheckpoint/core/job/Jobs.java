package io.piholecheckpoint.core.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of every kind, in the {@link JobRepository}: nothing of them is held in memory, so a
 * job opened through one node is followed through another and outlives a restart. A waiter is
 * woken at once by the end of a job in this process, and looks again every second for one ended
 * by another node.
 */
public class Jobs {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);
  /** How long finished jobs stay readable at their address. */
  public static final Duration KEPT = Duration.ofDays(7);
  /** No backup or sync run takes a day: one still unfinished then was left by a node that stopped and never came back. */
  static final Duration ABANDONED_AFTER = Duration.ofDays(1);
  /** How often a waiter looks for a job another node ended (this node's own wake it at once). */
  static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

  private final JobRepository repository;
  private final Clock clock;
  private final String node;
  private final boolean alone;
  private final DatabaseOutages outages;
  private final long lookAgainMillis;
  private final Object changed = new Object();
  private long changes;
  /** The jobs this process ended, as their end's write returned them: its waiters read no row again. */
  private final JustEnded<Job> ended = new JustEnded<>();

  /**
   * @param node the name of this node, kept with the jobs it opens
   * @param alone whether this is the only process that runs jobs (SQLite: one scheduler per data
   *     directory), so that every job left unfinished at its takeover was left by a stopped process;
   *     with a shared database only this node's own are
   */
  public Jobs(JobRepository repository, Clock clock, String node, boolean alone) {
    this(repository, clock, node, alone, DatabaseOutages.sleeping());
  }

  /** @param outages carries a job's end through a database outage: a job whose end is lost stays "running" and blocks the next one */
  public Jobs(JobRepository repository, Clock clock, String node, boolean alone, DatabaseOutages outages) {
    this(repository, clock, node, alone, outages, LOOK_AGAIN);
  }

  /** @param lookAgain {@link #LOOK_AGAIN} but in a test of another node's end, which need not wait out the second */
  Jobs(JobRepository repository, Clock clock, String node, boolean alone, DatabaseOutages outages, Duration lookAgain) {
    this.lookAgainMillis = lookAgain.toMillis();
    this.outages = outages;
    this.repository = repository;
    this.clock = clock;
    this.node = node;
    this.alone = alone;
  }

  /** A new queued job; empty when its subject has an unfinished job of the kind (on any node). */
  public Optional<Job> open(Job.Kind kind, String subject) {
    return open(kind, subject, null);
  }

  /** {@link #open(Job.Kind, String)} with what it expects to receive known from the start (a backup: its previous one's size). */
  public Optional<Job> open(Job.Kind kind, String subject, Long expectedBytes) {
    Job job = new Job(UUID.randomUUID().toString(), kind, subject, Job.State.QUEUED, 0, expectedBytes, List.of(), null, null, clock.instant(), null, node);
    return repository.insert(job) ? Optional.of(job) : Optional.empty();
  }

  /** A job that could not even be queued: it never existed. */
  public void drop(String id) {
    repository.delete(id);
    signal();
  }

  /**
   * Wakes no waiter: they wait for the end, and each wake is a read of the job (a backup reports progress three times). A
   * write lost to a database outage is skipped, not thrown: the work goes on, and the next write, or its end, says more.
   */
  public void progress(String id, Job.State state, long bytes, Long expectedBytes) {
    try {
      repository.progress(id, state, bytes, expectedBytes);
    } catch (RuntimeException e) {
      if (!DatabaseOutages.passing(e)) {
        throw e;
      }
      log.debug("The progress of job {} was not written: the database is out of reach or busy ({})", id, e.toString());
    }
  }

  /**
   * A sync run's job running, with the runs of its replicas recorded so far: at its start, then after each replica, so that
   * whoever polls it sees the run go on. Waits its turn for the database as any write does, but one lost to an outage is
   * skipped as {@link #progress} is: the next replica's write, or the end, says more.
   */
  public void running(String id, List<Long> records) {
    try {
      repository.running(id, records);
    } catch (RuntimeException e) {
      if (!DatabaseOutages.passing(e)) {
        throw e;
      }
      log.debug("That job {} runs ({} runs recorded) was not written: the database is out of reach or busy ({})", id, records.size(), e.toString());
    }
  }

  public void done(String id, List<Long> records) {
    done(id, null, records);
  }

  /** @param of what the job is of, as a log line names it if its end cannot be recorded: "instance 3", "sync group home" */
  public void done(String id, String of, List<Long> records) {
    end(id, of, Job.State.DONE, records, null, null, null);
  }

  /** As {@link #done(String, String, List)}, showing {@code bytes} as the job's last (written with its end, not before it). */
  public void done(String id, String of, List<Long> records, long bytes) {
    end(id, of, Job.State.DONE, records, null, null, bytes);
  }

  public void failed(String id, List<Long> records, String errorCode, String error) {
    failed(id, null, records, errorCode, error);
  }

  /** @param of what the job is of, as a log line names it if its end cannot be recorded: "instance 3", "sync group home" */
  public void failed(String id, String of, List<Long> records, String errorCode, String error) {
    end(id, of, Job.State.FAILED, records, errorCode, error, null);
  }

  /** Stamped once, before the first try: a job ended during an outage ended then, not when the database came back. */
  private void end(String id, String of, Job.State state, List<Long> records, String errorCode, String error, Long bytes) {
    Instant at = clock.instant();
    outages.record("the end (" + state.name().toLowerCase(java.util.Locale.ROOT) + ") of job " + id + (of == null ? "" : " of " + of),
        () -> repository.finish(id, state, records, errorCode, error, at, bytes)).ifPresent(job -> ended.put(id, job));
    signal(); // after it is kept: a waiter that saw no end before this signal finds it there
  }

  public Optional<Job> find(String id) {
    return repository.find(id);
  }

  public Optional<Job> unfinished(Job.Kind kind, String subject) {
    return repository.findUnfinished(kind, subject);
  }

  /** Every unfinished job of the kind, in one read (a page of many instances asks once, not once per instance). */
  public List<Job> unfinished(Job.Kind kind) {
    return repository.findUnfinished(kind);
  }

  /** Waits up to {@code seconds} for the job to finish; returns it as it is then (empty: there is no such job). */
  public Optional<Job> await(String id, long seconds) throws InterruptedException {
    return await(id, null, seconds);
  }

  /**
   * {@link #await(String, long)} for a job the caller has just {@link #open opened}: it is not read before the first wait. An
   * end in this process hands the waiter the job as its write returned it, so a job ended here is not read at all.
   */
  public Optional<Job> await(Job opened, long seconds) throws InterruptedException {
    return await(opened.id(), opened, seconds);
  }

  private Optional<Job> await(String id, Job opened, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    Job known = opened; // what the caller knew holds until the first wait; another node's end is read after it
    while (true) {
      long seen;
      synchronized (changed) {
        seen = changes;
      }
      Optional<Job> job = ended.get(id);
      if (job.isEmpty()) {
        job = known != null ? Optional.of(known) : repository.find(id);
      }
      known = null;
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (job.isEmpty() || job.get().finished() || left <= 0) {
        return job;
      }
      synchronized (changed) {
        if (changes == seen) {
          changed.wait(Math.min(left, lookAgainMillis));
        }
      }
    }
  }

  /**
   * When this process takes the scheduler: the jobs a stopped process left queued or running
   * failed as {@code interrupted}, so that they say what happened and no longer block the next
   * one of their subject (with a shared database, those this node left: other nodes' are running).
   * Returns how many.
   */
  public int interruptLeftovers() {
    Instant now = clock.instant();
    int n = repository.interrupt(alone ? null : node, now.plusMillis(1), "Pi-hole Checkpoint stopped while this job was queued or running; start it again", now);
    signal();
    return n;
  }

  /**
   * When another node of a cluster is found dead (it stopped checking in, and Quartz recovered its
   * work): the jobs it left queued or running fail as {@code interrupted} at once, saying {@code why},
   * so that they no longer block the next one of their subject on any node. Returns how many.
   *
   * @param why what happened, as the job says it: "node B stopped checking in at …"
   */
  public int interruptOf(String deadNode, String why) {
    Instant now = clock.instant();
    int n = repository.interrupt(deadNode, now.plusMillis(1), "interrupted: " + why + "; start it again", now);
    signal();
    return n;
  }

  /** The daily round: jobs finished over a week ago are forgotten, and one unfinished for a day is marked interrupted. */
  public int prune() {
    Instant now = clock.instant();
    repository.interrupt(null, now.minus(ABANDONED_AFTER), "this job was still unfinished a day after it was queued: the node that ran it"
        + " stopped; start it again", now);
    return repository.deleteFinishedBefore(now.minus(KEPT));
  }

  private void signal() {
    synchronized (changed) {
      changes++;
      changed.notifyAll();
    }
  }
}
