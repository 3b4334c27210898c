package io.piholecheckpoint.web.page;

import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet of the HTML pages: what the core throws is answered by the error page with the status
 * of {@link HttpErrors}, the same table the API answers from; anything else is a 500 through the
 * container's error dispatch.
 */
abstract class PageServlet extends HttpServlet {
  protected final Views views;
  private final boolean noStore;

  PageServlet(Views views) {
    this(views, false);
  }

  /** @param noStore the pages are forms of settings (names, hosts, which secrets are set): no browser or proxy keeps a copy */
  PageServlet(Views views, boolean noStore) {
    this.views = views;
    this.noStore = noStore;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    if (noStore) {
      response.setHeader("Cache-Control", "no-store");
    }
    try {
      super.service(request, response);
    } catch (RuntimeException e) {
      HttpErrors.Answer answer = HttpErrors.of(e).orElseThrow(() -> e);
      // a download cut short by an unreadable archive: the client sees a short body, not a page spliced into it
      if (!response.isCommitted()) {
        views.error(request, response, answer);
      }
    }
  }

  /** Post, redirect, get: the page a browser shows after a form was taken, by a GET a reload does not send again. */
  protected static void seeOther(HttpServletRequest request, HttpServletResponse response, String path) {
    response.setStatus(303);
    response.setHeader("Location", request.getContextPath() + path);
  }
}
