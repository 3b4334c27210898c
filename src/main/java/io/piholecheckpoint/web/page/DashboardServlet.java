package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.web.CommittedReads;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.overview.InstanceOverview;
import io.piholecheckpoint.core.overview.InstanceQuery;
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
import java.util.function.Supplier;

/**
 * {@code GET /}: the instances, searched ({@code q}), filtered by status ({@code status}) and a
 * page at a time ({@code page}, {@code size}), each with its status and recent backups. Plain
 * links and a GET form: it works without JavaScript and every view is an address to bookmark.
 */
public final class DashboardServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /");
  private static final String VIEW = "dashboard/index.ftlh";
  /** History rows on each card, and archives in its size sparkline. */
  private static final int ROWS = DashboardPage.ROWS_ON_DASHBOARD;
  private static final int SPARKLINE_POINTS = 20;
  /** Cards per page: a household's few instances on one, a thousand in pages that render fast. */
  static final int DEFAULT_SIZE = 20;
  static final int MAX_SIZE = 100;
  /** Pages kept per commit: the ones people keep reloading. */
  private static final int PAGES_KEPT = 16;

  private final BackupCatalog backups;
  private final InstanceOverview overview;
  private final Supplier<InstanceOverview.Snapshot> everything;
  private final CommittedReads<InstanceOverview.Selection, List<InstanceHistory>> pages;
  private final TimeFormat time;
  private final DashboardPage.Live live;
  private final OffsiteView offsite;

  /**
   * @param everything every instance's row and totals, kept until the next commit (shared with the API's list)
   * @param dataVersion changes whenever anything is committed to the database
   */
  public DashboardServlet(InstanceOverview overview, Supplier<InstanceOverview.Snapshot> everything, BackupCatalog backups, DashboardPage.Live live,
                          OffsiteView offsite, TimeFormat time, Views views, LongSupplier dataVersion) {
    super(views);
    this.offsite = offsite;
    this.backups = backups;
    this.overview = overview;
    this.everything = everything;
    this.pages = new CommittedReads<>(page -> overview.histories(page, ROWS, SPARKLINE_POINTS), dataVersion, PAGES_KEPT);
    this.live = live;
    this.time = time;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters query = QueryParameters.of(request, "q", "status", "page", "size");
    InstanceQuery asked = new InstanceQuery(query.text("q"), query.instanceFilter("status"),
        (int) query.number("page", 1, 1, Integer.MAX_VALUE), (int) query.number("size", DEFAULT_SIZE, 1, MAX_SIZE));
    InstanceOverview.Snapshot all = everything.get();
    // the filter runs on every request: staleness changes with the clock, not only with a commit
    InstanceOverview.Selection selection = overview.select(all, asked);
    List<InstanceHistory> cards = pages.get(selection);
    Map<Long, String> remoteOnly = offsite.remoteOnly(cards.stream().flatMap(h -> h.recent().stream().limit(ROWS)).toList());
    views.render(request, response, 200, VIEW, DashboardPage.of(all, selection, cards, time, live, backups.freeBytes(), remoteOnly));
  }
}
