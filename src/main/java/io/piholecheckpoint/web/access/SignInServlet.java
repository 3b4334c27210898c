package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.Access;
import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.web.JsonBody;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /login}: the app password, with growing delays per client address after five
 * wrong ones. Signing in starts a new session and a new CSRF token, so nothing set before the
 * sign-in (by someone else, say) survives it.
 */
public final class SignInServlet extends HttpServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET, POST /login");
  /** The fields its form sends (see {@link FormFields}). */
  public static final List<String> FORMS = List.of("/login password next");
  private static final Logger log = LoggerFactory.getLogger(SignInServlet.class);
  private static final String VIEW = "login/index.ftlh";

  /** The sign-in page: where to go afterwards and what went wrong, if anything. */
  public record SignInPage(String next, String problem) {
  }

  private final Access access;
  private final Views views;
  private final SecureRandom random = new SecureRandom();

  public SignInServlet(Access access, Views views) {
    this.access = access;
    this.views = views;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!access.signInRequired() || Boolean.TRUE.equals(request.getAttribute(Views.SIGNED_IN_ATTRIBUTE))) {
      response.sendRedirect(request.getContextPath() + next(request));
      return;
    }
    views.render(request, response, 200, VIEW, new SignInPage(next(request), null));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!access.signInRequired()) {
      response.sendRedirect(request.getContextPath() + "/");
      return;
    }
    if (tooLarge(request)) {
      // no password of that size is the app's: said as what it is, not as a wrong one (nor counted as a guess)
      views.render(request, response, 413, VIEW, new SignInPage(next(request), "The form is larger than " + JsonBody.MAX_BODY_BYTES / 1024
          + " KiB; send only the password."));
      return;
    }
    String client = request.getRemoteAddr();
    long seconds = access.throttle().retryAfterSeconds(client);
    if (seconds > 0) {
      response.setHeader("Retry-After", Long.toString(seconds));
      views.render(request, response, 429, VIEW, new SignInPage(next(request),
          "Too many wrong passwords from your address. Try again in " + seconds + " s."));
      return;
    }
    String password = request.getParameter("password");
    if (password == null || password.isEmpty() || !access.password().orElseThrow().matches(password.toCharArray())) {
      access.throttle().failed(client);
      log.warn("Wrong app password from {}; repeated failures from one address are slowed down", client);
      views.render(request, response, 401, VIEW, new SignInPage(next(request), "Wrong password."));
      return;
    }
    access.throttle().succeeded(client);
    access.sessions().end(Cookies.read(request, Cookies.SESSION));
    Cookies.write(request, response, Cookies.SESSION, access.sessions().start(), "Lax");
    Cookies.write(request, response, Cookies.CSRF, Sessions.randomToken(random), "Strict");
    log.info("Signed in from {}", client);
    response.setStatus(303);
    response.setHeader("Location", request.getContextPath() + next(request));
  }

  /** Over the API's limit for a body: by its Content-Length, or (sent chunked) by what its fields hold. */
  private static boolean tooLarge(HttpServletRequest request) {
    if (request.getContentLengthLong() > JsonBody.MAX_BODY_BYTES) {
      return true;
    }
    long held = 0;
    for (var field : request.getParameterMap().entrySet()) {
      held += field.getKey().length();
      for (String value : field.getValue()) {
        held += value.length();
      }
    }
    return held > JsonBody.MAX_BODY_BYTES;
  }

  /** Only a path of this app: {@code next=//evil.example} or {@code https://…} would send the user away. */
  static String next(HttpServletRequest request) {
    String next = request.getParameter("next");
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/login")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return "/";
    }
    return next;
  }
}
