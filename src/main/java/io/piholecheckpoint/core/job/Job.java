package io.piholecheckpoint.core.job;

import java.time.Instant;
import java.util.List;

/**
 * A backup or sync run asked for by a person or a script, followed from queued to done or failed
 * at {@code /api/v1/jobs/{id}}: one shape for both kinds, kept in the database so that every node
 * sees it and a restart leaves it "interrupted" rather than gone.
 *
 * @param subject what the job is of: the instance's id (a backup), the group's id (a sync run)
 * @param bytes received so far (a backup's download)
 * @param expectedBytes about how many will arrive (the previous backup's size); null when unknown
 * @param records what the job wrote, once done: the backup's record, or each replica's sync run, in order
 * @param errorCode why it failed, in the words of backup errors ({@code interrupted}, {@code internal_error} …); null unless failed
 * @param node the node (NODE_NAME) that opened it and runs it
 */
public record Job(String id, Kind kind, String subject, State state, long bytes, Long expectedBytes, List<Long> records, String errorCode,
                  String error, Instant queuedAt, Instant finishedAt, String node) {

  public enum Kind { BACKUP, SYNC }

  /** A backup goes through LOGGING_IN, DOWNLOADING and VERIFYING; a sync run through RUNNING. */
  public enum State { QUEUED, RUNNING, LOGGING_IN, DOWNLOADING, VERIFYING, DONE, FAILED }

  /** The code of a job that a stopped process (or node) left queued or running. */
  public static final String INTERRUPTED = "interrupted";

  public Job {
    records = List.copyOf(records);
  }

  public boolean finished() {
    return finishedAt != null;
  }
}
