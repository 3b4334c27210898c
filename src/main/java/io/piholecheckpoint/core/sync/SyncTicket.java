package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.job.Job;
import java.time.Instant;
import java.util.List;

/**
 * A group's run asked for through the API: its {@link Job}, with each replica's run once done, in
 * the group's order.
 */
public record SyncTicket(Job job, List<SyncRun> runs) {

  public SyncTicket {
    runs = List.copyOf(runs);
  }

  public String id() {
    return job.id();
  }

  public String group() {
    return job.subject();
  }

  public Job.State state() {
    return job.state();
  }

  /** Why the run did not happen at all (the group was disabled meanwhile, the server stopped), or null. */
  public String error() {
    return job.error();
  }

  public Instant queuedAt() {
    return job.queuedAt();
  }

  public Instant finishedAt() {
    return job.finishedAt();
  }

  public boolean finished() {
    return job.finished();
  }
}
