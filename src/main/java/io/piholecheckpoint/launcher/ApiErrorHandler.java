package io.piholecheckpoint.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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
  /** Two bytes that stand for an ASCII character, which UTF-8 writes in one: C0 or C1, then a continuation byte. */
  private static final java.util.regex.Pattern OVERLONG_2 = java.util.regex.Pattern.compile("[\u00c0\u00c1][\u0080-\u00bf]");
  /** Three bytes that stand for an ASCII character: E0 80 or E0 81, then a continuation byte. */
  private static final java.util.regex.Pattern OVERLONG_3 = java.util.regex.Pattern.compile("\u00e0[\u0080\u0081][\u0080-\u00bf]");
  private static final String UNREADABLE = "/badMessage";
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");

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
    return writeJson(request, response, callback, code)
        || super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, message, cause);
  }

  /** Writes the JSON error for a request under /api/ (or one whose path is unknown) and returns true; false for a page. */
  static boolean writeJson(Request request, Response response, Callback callback, int code) {
    if (!forApi(request)) {
      return false;
    }
    response.getHeaders().put(JSON);
    response.write(true, ByteBuffer.wrap(body(code)), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    SecurityHeaders.addTo(fields);
    fields.put(JSON);
    return ByteBuffer.wrap(body(status));
  }

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
    return apiLooking(path) || !page && accept != null && accept.contains("application/json");
  }

  /**
   * Whether a refused path was meant for the API: "/api%2fv1/…", "/static/%2e%2e/api/…",
   * "/static/..%5capi/…", "//api/…" and each of them encoded again ("/api%252fv1/…") are refused as ambiguous or suspicious, but the client that
   * sent them reads JSON. Only decides the shape of the refusal: nothing is served from this reading.
   */
  static boolean apiLooking(String rawPath) {
    // a client that encoded once, twice or more ("%2e", "%252e", "%25%32%65" all mean '.'): decoded a few rounds, as it meant
    String decoded = overlongAscii(percentDecoded(rawPath, 4)).replace('\\', '/');
    java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
    for (String raw : decoded.split("/")) {
      String segment = raw.replaceFirst(";.*", ""); // a path parameter names the same segment: "api;x" is api, "..;" goes up
      if (segment.equals("..")) {
        segments.pollLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.addLast(segment);
      }
    }
    return "api".equals(segments.peekFirst());
  }

  /**
   * {@code text} with each {@code %XX} replaced by the byte it stands for (as a Latin-1 character: enough to judge the
   * ASCII of a path), {@code rounds} times or until nothing changes; an escape that is none ("%zz", a lone "%") stays.
   */
  static String percentDecoded(String text, int rounds) {
    String current = text;
    for (int round = 0; round < rounds && current.indexOf('%') >= 0; round++) {
      StringBuilder out = new StringBuilder(current.length());
      for (int i = 0; i < current.length(); i++) {
        char c = current.charAt(i);
        int high = i + 2 < current.length() && c == '%' ? Character.digit(current.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(current.charAt(i + 2), 16) : -1;
        if (low >= 0) {
          out.append((char) (high * 16 + low));
          i += 2;
        } else {
          out.append(c);
        }
      }
      String next = out.toString();
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  /**
   * {@code bytes} (one Latin-1 character a byte, as {@link #percentDecoded} gives them) with each overlong UTF-8 form of
   * an ASCII character ("%c0%ae", "%e0%80%ae" for '.') read as that character: what a lenient decoder behind a proxy
   * would make of it, so that "/static/%c0%ae%c0%ae/api/…" is refused as the API refuses. Invalid UTF-8 all the same.
   */
  static String overlongAscii(String bytes) {
    return OVERLONG_3.matcher(OVERLONG_2.matcher(bytes).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        String.valueOf((char) ((m.group().charAt(0) & 0x01) << 6 | m.group().charAt(1) & 0x3f)))))
        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.valueOf((char) ((m.group().charAt(1) & 0x01) << 6 | m.group().charAt(2) & 0x3f))));
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

  static byte[] body(int status) {
    String reason = HttpStatus.getMessage(status);
    String code = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    return ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"The server refused the request before reading it: " + reason
        + " (HTTP " + status + "). Check the address, its %-escapes and its length, and the headers.\"}}").getBytes(StandardCharsets.UTF_8);
  }
}
