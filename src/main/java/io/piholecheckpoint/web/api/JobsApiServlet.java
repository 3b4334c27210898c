package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.manual.BackupTicket;
import io.piholecheckpoint.core.sync.SyncTickets;
import io.piholecheckpoint.core.sync.SyncTicket;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** {@code GET /api/v1/jobs/{id}}: how far a queued backup, or a sync run asked for, got. */
public final class JobsApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/jobs/{name}");
  private final BackupQueue queue;
  private final SyncTickets sync;

  public JobsApiServlet(BackupQueue queue, SyncTickets sync, Json json) {
    super(json);
    this.queue = queue;
    this.sync = sync;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    Optional<BackupTicket> ticket = parts.length == 1 ? queue.find(parts[0]) : Optional.empty();
    Optional<SyncTicket> syncTicket = parts.length == 1 && ticket.isEmpty() ? sync.job(parts[0]) : Optional.empty();
    if (ticket.isPresent()) {
      json.write(response, 200, ApiModels.JobJson.of(ticket.get()));
    } else if (syncTicket.isPresent()) {
      json.write(response, 200, SyncApiServlet.SyncJobJson.of(syncTicket.get()));
    } else {
      json.error(response, 404, "job_not_found", "no such backup or sync job (finished jobs are kept for 7 days)");
    }
  }
}
