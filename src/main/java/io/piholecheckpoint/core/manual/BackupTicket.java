package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.job.Job;

/**
 * A backup asked for by a person or a script: its {@link Job} (state, progress, error), with the
 * record it wrote once there is one and that record is still kept.
 */
public record BackupTicket(Job job, Backup backup) {

  public long instanceId() {
    return Long.parseLong(job.subject());
  }

  /** The id of the record written, once there is one; the job keeps it after retention deleted the record. */
  public Long backupId() {
    return job.records().isEmpty() ? null : job.records().get(0);
  }
}
