package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.job.Job;
import java.time.Instant;

/**
 * A backup asked for by a person or a script: its {@link Job}, with the record it wrote once there
 * is one and that record is still kept.
 */
public record BackupTicket(Job job, Backup backup) {

  public String id() {
    return job.id();
  }

  public long instanceId() {
    return Long.parseLong(job.subject());
  }

  /** The node that runs it. */
  public String node() {
    return job.node();
  }

  public Job.State state() {
    return job.state();
  }

  public long bytes() {
    return job.bytes();
  }

  public Long expectedBytes() {
    return job.expectedBytes();
  }

  /** The id of the record written, once there is one. */
  public Long backupId() {
    return job.records().isEmpty() ? null : job.records().get(0);
  }

  public String errorCode() {
    return job.errorCode();
  }

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
