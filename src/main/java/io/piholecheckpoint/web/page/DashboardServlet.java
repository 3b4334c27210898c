package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.backup.BackupCatalog;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.TimeFormat;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** {@code GET /}: every instance, its status and its recent backups. */
public final class DashboardServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /");
  private static final String VIEW = "dashboard/index.ftlh";
  /** History rows on each card, and archives in its size sparkline. */
  private static final int ROWS = DashboardPage.ROWS_ON_DASHBOARD;
  private static final int SPARKLINE_POINTS = 20;

  private final BackupCatalog backups;
  private final CommittedReads<Boolean, List<InstanceHistory>> overview;
  private final TimeFormat time;
  private final DashboardPage.Live live;
  private final OffsiteView offsite;

  /** @param dataVersion changes whenever anything is committed to the database */
  public DashboardServlet(BackupCatalog backups, DashboardPage.Live live, OffsiteView offsite, TimeFormat time, Views views, LongSupplier dataVersion) {
    super(views);
    this.offsite = offsite;
    this.backups = backups;
    this.overview = new CommittedReads<>(all -> backups.overview(ROWS, SPARKLINE_POINTS), dataVersion, 1);
    this.live = live;
    this.time = time;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    List<InstanceHistory> histories = overview.get(true);
    Map<Long, String> remoteOnly = offsite.remoteOnly(histories.stream().flatMap(h -> h.recent().stream().limit(ROWS)).toList());
    views.render(request, response, 200, VIEW, DashboardPage.of(histories, time, time.zoneId(), live, backups.freeBytes(), remoteOnly));
  }
}
