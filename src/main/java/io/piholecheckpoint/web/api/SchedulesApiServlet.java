package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.settings.SchedulePreview;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.TimeFormat;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code GET /api/v1/schedules/preview?cron=…}: when a cron expression would fire, checked by the
 * same rules as saving it, so the form can show its meaning while it is typed. An expression
 * that cannot be used is a 400 naming the field, like a save.
 */
public final class SchedulesApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/schedules/preview");
  private final SchedulePreview preview;
  private final ZoneId zone;
  private final TimeFormat time;

  public SchedulesApiServlet(SchedulePreview preview, ZoneId zone, Clock clock, Json json) {
    super(json);
    this.preview = preview;
    this.zone = zone;
    this.time = new TimeFormat(zone, clock);
  }

  /** @param nextRuns ISO-8601 with the offset of TIME_ZONE; {@code shown} the same times as the pages show them */
  record PreviewJson(String cron, String timeZone, List<OffsetDateTime> nextRuns, List<String> shown) {
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String cron = QueryParameters.of(request, "cron").text("cron");
    if (!Paths.is(request, "preview")) {
      json.error(response, 404, "not_found", "GET /api/v1/schedules/preview?cron=…");
      return;
    }
    List<Instant> runs = preview.ofCron(cron);
    json.write(response, 200, new PreviewJson(cron, zone.getId(), runs.stream().map(t -> t.atZone(zone).toOffsetDateTime()).toList(),
        runs.stream().map(time::absolute).toList()));
  }
}
