package io.piholecheckpoint.launcher;

import io.piholecheckpoint.paths.ApiLookingPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers to requests it refuses before the web app sees them (a broken %-escape, a URI or
 * headers too long, a malformed request line): under {@code /api/}, and when the path could not be
 * read at all, the API's JSON error shape instead of Jetty's HTML page, whatever the method; and
 * every such answer with the web app's {@link SecurityHeaders}. The web app's own
 * {@code /error} page handles every error that reaches the app. Only fixed texts are written:
 * Jetty's reason may quote the request.
 */
final class ApiErrorHandler extends ErrorHandler {
  private static final String UNREADABLE = "/badMessage";
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
  private static final HttpField HTML = new HttpField(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");

  /** The web app's own 400 page for a path not in plain form, once it has started (null before, or for a WAR without one). */
  private final Supplier<String> badPathPage;
  /** The web app's page for another refusal, by status (null before it has started). */
  private final IntFunction<String> refusedPage;

  ApiErrorHandler(Supplier<String> badPathPage, IntFunction<String> refusedPage) {
    this.badPathPage = badPathPage;
    this.refusedPage = refusedPage;
  }

  /** Jetty writes no error body for PUT or DELETE; a script under /api/ needs one whatever its method. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  /** Called for every error answer this handler writes, JSON or HTML: the security headers go with the cache headers. */
  @Override
  protected void generateCacheControl(Response response) {
    super.generateCacheControl(response);
    SecurityHeaders.addTo(response.getHeaders());
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                               List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    return writeJson(request, response, callback, code, reason(message, cause)) || writePage(request, response, callback, code)
        || super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, message, cause);
  }

  /**
   * A page path Jetty refused as ambiguous ("/backups/..;/instances"): the web app's own 400 page, as the app itself answers
   * such a path when its container lets it through. Another refusal of a client's request (a malformed Host, 431):
   * the web app's page for that status, never Jetty's, which names Jetty and quotes the address. Jetty's page stays only
   * for its own faults (5xx) and before the web app has started.
   */
  private boolean writePage(Request request, Response response, Callback callback, int code) {
    boolean refused = code >= 400 && code < 500;
    String page = !refused ? null : code == HttpStatus.BAD_REQUEST_400 && pathRefused(request) ? badPathPage.get()
        : refusedPage.apply(code);
    if (page == null) {
      return false;
    }
    response.getHeaders().put(HTML);
    response.write(true, ByteBuffer.wrap(page.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** Whether Jetty refused the path itself (ambiguous, or against its URI rules), not another part of the request. */
  private static boolean pathRefused(Request request) {
    HttpURI uri = request.getHttpURI();
    return uri == null || uri.getPath() == null || uri.getPath().equals(UNREADABLE) || uri.isAmbiguous() || uri.hasViolations();
  }

  /**
   * Writes the JSON error for a request under /api/ (or one whose path is unknown) and returns true; false for a page.
   *
   * @param reason Jetty's words for the refusal, read by {@link #framing}, never written
   */
  static boolean writeJson(Request request, Response response, Callback callback, int code, String reason) {
    if (!forApi(request)) {
      return false;
    }
    response.getHeaders().put(JSON);
    response.write(true, ByteBuffer.wrap(body(code, framing(reason))), callback);
    return true;
  }

  /** Jetty's message and its failure's, to be read, not written: either may hold the request's text. */
  static String reason(String message, Throwable cause) {
    return (message == null ? "" : message) + " " + (cause == null || cause.getMessage() == null ? "" : cause.getMessage());
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    SecurityHeaders.addTo(fields);
    fields.put(JSON);
    return ByteBuffer.wrap(body(status, framing(reason)));
  }

  /**
   * What is wrong with a body's framing headers, by Jetty's reason (never quoted: a reason may hold the request's text), or
   * the general hint: a request with both Content-Length and Transfer-Encoding was told to check its address.
   */
  static String framing(String reason) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (r.contains("transfer-encoding") && r.contains("content-length")) {
      return "It has both a Content-Length and a Transfer-Encoding header: send one of them, Content-Length with the body's size in"
          + " bytes, or Transfer-Encoding: chunked.";
    }
    if (r.contains("transfer-encoding")) {
      return "Its Transfer-Encoding header cannot be used: chunked, once, as its last coding, is the one the server reads.";
    }
    if (r.contains("content-length")) {
      return "Its Content-Length header cannot be used: one whole number, the body's size in bytes.";
    }
    return HINT;
  }

  private static final String HINT = "Check the address, its %-escapes and its length, and the headers.";

  /**
   * Under /api/, as the path reads once its escapes, backslashes and dot segments are resolved; or
   * asked for as JSON (Accept names application/json, not text/html); or, when Jetty could not read
   * the path at all (it then says "/badMessage"), for any client but a browser asking for a page.
   */
  private static boolean forApi(Request request) {
    HttpURI uri = request.getHttpURI();
    String path = uri == null || uri.getPath() == null ? UNREADABLE : uri.getPath();
    String accept = request.getHeaders().get(HttpHeader.ACCEPT);
    boolean page = accept != null && accept.contains("text/html");
    if (path.equals(UNREADABLE) || path.isEmpty()) {
      return !page;
    }
    return ApiLookingPath.apiLooking(path) || ApiLookingPath.asksForJson(accept);
  }

  /**
   * What no context takes, such as {@code OPTIONS *} (a question about the whole server, which has
   * no address): the API's 404, with the security headers, never Jetty's bare answer.
   */
  static org.eclipse.jetty.server.Handler notFound() {
    return new org.eclipse.jetty.server.Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(HttpStatus.NOT_FOUND_404);
        SecurityHeaders.addTo(response.getHeaders());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(("{\"error\":{\"code\":\"not_found\",\"message\":\"There is nothing at this address; OPTIONS is"
            + " answered for an address of the app (OPTIONS /api/v1/instances), not for the server as a whole (OPTIONS *).\"}}")
            .getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    };
  }

  private static byte[] body(int status, String hint) {
    String reason = HttpStatus.getMessage(status);
    String code = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    return ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"The server refused the request before reading it: " + reason
        + " (HTTP " + status + "). " + hint + "\"}}").getBytes(StandardCharsets.UTF_8);
  }
}
