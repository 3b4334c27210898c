package io.piholecheckpoint.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The target of every error dispatch. Replaces the container's error page, which can echo an
 * exception's message (and the row values in it) into HTML. API paths get the JSON shape.
 */
public final class ErrorServlet extends HttpServlet {
  private static final String VIEW = "errors/error.ftlh";

  private final Views views;
  private final Json json;
  private final Routes routes;

  /** @param routes what each address accepts, for the {@code Allow} of a 405 */
  public ErrorServlet(Views views, Json json, Routes routes) {
    this.views = views;
    this.json = json;
    this.routes = routes;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // requested as /error itself (by a signed-in browser), there is no error: nothing is here
    int status = code instanceof Integer i ? i : 404;
    String uri = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
    String path = uri.startsWith(request.getContextPath()) ? uri.substring(request.getContextPath().length()) : uri;
    if (request.getMethod().equals("TRACE")) {
      // Jetty's default descriptor refuses TRACE with 403; the method, not the caller, is what is refused
      status = 405;
    }
    if (status == 405) {
      // the container's own 405s (its default servlet's) say what the address takes, as ours do; where nothing is, nothing is there
      Optional<String> allow = routes.allow(path);
      if (allow.isPresent() || request.getMethod().equals("TRACE")) {
        response.setHeader("Allow", allow.orElse(String.join(", ", Routes.METHODS)));
      } else {
        status = 404;
      }
    }
    String message = status == 404 ? "There is nothing at this address." : status >= 500
        ? "Something went wrong on our side. The server log has the details."
        : status == 400 && brokenChunks(request) ? "The request's body could not be read: its chunked encoding (Transfer-Encoding:"
            + " chunked) is broken. Each chunk is its size in hex digits, CRLF, that many bytes, CRLF, and the body ends with a chunk of"
            + " size 0; send it again, or with a Content-Length instead."
        : "The request could not be handled (HTTP " + status + ").";
    if (uri.startsWith(request.getContextPath() + "/api/")) {
      json.error(response, status, HttpErrors.code(status), message);
    } else {
      views.render(request, response, status, VIEW, new ErrorPage(status, status == 404 ? "Not found" : "Error", message));
    }
  }

  /**
   * A 400 the container raised while the app read a chunked body: Jetty refuses a bad chunk (its size not hex, its end not
   * CRLF) only once the body is read, and its reason, which may quote the body, is not repeated.
   */
  private static boolean brokenChunks(HttpServletRequest request) {
    String coding = request.getHeader("Transfer-Encoding");
    return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null && coding != null
        && coding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
  }
}
