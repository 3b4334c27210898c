package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.BackupDeletions;
import io.piholecheckpoint.core.backup.trust.Acceptance;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.web.TimeFormat;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The Pin, Unpin, Accept, Undo accept and Delete buttons of an instance page's history, sent as forms when JavaScript is off (with it,
 * app.js sends pin, unpin and delete to the API and the page stays). Pin, unpin and accept take effect and return to the
 * page they were sent from (and so does taking an accept back); delete first asks on a page of its own, as app.js asks with a dialog, and deletes only once
 * that is confirmed.
 */
public final class RowActions {
  static final Set<String> ACTIONS = Set.of("pin", "unpin", "accept", "unaccept", "delete");
  private static final String CONFIRM_VIEW = "backups/delete.ftlh";

  /** The confirmation page: {@code back} is where Cancel and the deletion lead. */
  public record DeleteConfirmation(long id, String instanceName, String taken, boolean successful, boolean pinned, String back) {
  }

  private final BackupCatalog catalog;
  private final BackupDeletions deletions;
  private final Acceptance acceptance;
  private final InstanceService instances;
  private final TimeFormat time;
  private final Views views;

  public RowActions(BackupCatalog catalog, BackupDeletions deletions, Acceptance acceptance, InstanceService instances, TimeFormat time, Views views) {
    this.catalog = catalog;
    this.deletions = deletions;
    this.acceptance = acceptance;
    this.instances = instances;
    this.time = time;
    this.views = views;
  }

  void take(HttpServletRequest request, HttpServletResponse response, long backupId, String action) throws IOException {
    Backup backup = catalog.find(backupId);
    String back = back(request, backup.instanceId());
    response.setHeader("Cache-Control", "no-store");
    switch (action) {
      case "pin", "unpin" -> {
        deletions.pin(backupId, action.equals("pin"));
        PageServlet.seeOther(request, response, back);
      }
      case "accept" -> {
        acceptance.accept(backupId);
        PageServlet.seeOther(request, response, back);
      }
      case "unaccept" -> {
        acceptance.unaccept(backupId);
        PageServlet.seeOther(request, response, back);
      }
      default -> {
        if ("yes".equals(request.getParameter("confirm"))) {
          deletions.delete(backupId);
          PageServlet.seeOther(request, response, back);
        } else {
          views.render(request, response, 200, CONFIRM_VIEW, new DeleteConfirmation(backupId, instances.find(backup.instanceId()).name(),
              time.absolute(backup.startedAt()), backup.successful(), backup.pinned(), back));
        }
      }
    }
  }

  /**
   * The instance page the button was pressed on, with its filters and history page ({@code back} from the confirmation
   * page, else the Referer): only a path of that instance's page is followed, so no form can send a browser elsewhere.
   */
  static String back(HttpServletRequest request, long instanceId) {
    String page = "/instances/" + instanceId;
    String from = request.getParameter("back");
    if (from == null && request.getHeader("Referer") != null) {
      try {
        URI referer = new URI(request.getHeader("Referer"));
        String path = referer.getRawPath() == null ? "" : referer.getRawPath();
        String context = request.getContextPath();
        from = (path.startsWith(context) ? path.substring(context.length()) : path) + (referer.getRawQuery() == null ? "" : "?" + referer.getRawQuery());
      } catch (URISyntaxException e) {
        return page;
      }
    }
    boolean ours = from != null && (from.equals(page) || from.startsWith(page + "?")) && from.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '#');
    return ours ? from : page;
  }
}
