package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import java.util.List;

/**
 * A group's run asked for through the API: its {@link Job} (state; why the run did not happen at
 * all, such as the group disabled meanwhile or the server stopped), with each replica's run once
 * done, in the group's order.
 */
public record SyncTicket(Job job, List<SyncRun> runs) {

  public SyncTicket {
    runs = List.copyOf(runs);
  }

  public String group() {
    return job.subject();
  }
}
