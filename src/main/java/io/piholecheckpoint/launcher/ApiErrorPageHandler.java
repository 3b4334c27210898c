package io.piholecheckpoint.launcher;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web app's error handler: dispatches to the app's {@code /error} page for every method (Jetty's
 * default skips PUT, DELETE and TRACE, which then get no body at all), and answers what it cannot
 * dispatch (a path it cannot decode) as {@link ApiErrorHandler} does.
 */
final class ApiErrorPageHandler extends ErrorPageErrorHandler {
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  /** Every error answer it writes itself carries the security headers; a dispatch to /error gets them from the web app. */
  @Override
  protected void generateCacheControl(Response response) {
    super.generateCacheControl(response);
    SecurityHeaders.addTo(response.getHeaders());
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                               List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    return ApiErrorHandler.writeJson(request, response, callback, code, ApiErrorHandler.reason(message, cause))
        || super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, message, cause);
  }
}
