package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.health.SchedulerView;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/** {@code GET /}: every instance, its status and its recent backups. */
public final class DashboardServlet extends HttpServlet {
  private static final String VIEW = "dashboard/index.ftlh";
  /** History rows on each card, and archives in its size sparkline. */
  private static final int ROWS = DashboardPage.ROWS_ON_DASHBOARD;
  private static final int SPARKLINE_POINTS = 20;

  private final BackupCatalog backups;
  private final CommittedReads<Boolean, List<InstanceHistory>> overview;
  private final Views views;
  private final TimeFormat time;
  private final String timeZone;
  private final DashboardPage.Live live;

  /** @param dataVersion changes whenever anything is committed to the database */
  public DashboardServlet(ApiServices services, Views views, java.time.ZoneId zone, SchedulerView scheduler, LongSupplier dataVersion) {
    this.backups = services.catalog();
    this.overview = new CommittedReads<>(all -> backups.overview(ROWS, SPARKLINE_POINTS), dataVersion, 1);
    this.live = new DashboardPage.Live(scheduler, services.queue());
    java.time.Clock clock = services.clock();
    this.views = views;
    this.time = new TimeFormat(zone, clock);
    this.timeZone = zone.getId();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      QueryParameters.of(request);
    } catch (Json.BadRequestException e) {
      views.badRequest(request, response, e);
      return;
    }
    views.render(request, response, 200, VIEW, DashboardPage.of(overview.get(true), time, timeZone, live, backups.freeBytes()));
  }
}
