package io.piholecheckpoint.core.sync;

import java.time.Instant;
import java.util.List;

/**
 * A group's run asked for through the API, followed from "queued" to "done" or "failed" at
 * {@code /api/v1/jobs/{id}}.
 *
 * @param runs each replica's run once done, in the group's order
 * @param error why the run did not happen at all (the group was disabled meanwhile, the server stopped), or null
 */
public record SyncTicket(String id, String group, State state, List<SyncRun> runs, String error, Instant queuedAt, Instant finishedAt) {

  public enum State { QUEUED, RUNNING, DONE, FAILED }

  public SyncTicket {
    runs = List.copyOf(runs);
  }

  public boolean finished() {
    return state == State.DONE || state == State.FAILED;
  }

  SyncTicket running() {
    return new SyncTicket(id, group, State.RUNNING, runs, error, queuedAt, finishedAt);
  }

  SyncTicket done(List<SyncRun> done, Instant at) {
    return new SyncTicket(id, group, State.DONE, done, null, queuedAt, at);
  }

  SyncTicket failed(String why, Instant at) {
    return new SyncTicket(id, group, State.FAILED, runs, why, queuedAt, at);
  }
}
