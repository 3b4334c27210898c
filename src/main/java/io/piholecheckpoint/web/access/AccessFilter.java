package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.Access;
import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.core.access.TrustedProxies;
import io.piholecheckpoint.paths.ApiLookingPath;
import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.RefusedBody;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Who is asking and whether they may: the client address (believing X-Forwarded-* only from
 * TRUSTED_PROXIES), sign-in (session cookie, or the API token for {@code /api/v1}), and the
 * CSRF checks ({@link CsrfGuard}) on every browser request that changes something.
 *
 * <p>The decision is made on the path the container dispatches ({@link RequestPath}), by the
 * {@link Gate} of that path: a deny-by-default list, not prefixes of the raw request URI. A raw
 * path that is not plainly the dispatched one is refused with 400 before anything else.
 */
public final class AccessFilter extends HttpFilter {
  /** Set once a request has passed the wall with credentials; a forward or include needs it for what is not open. */
  private static final String ADMITTED_ATTRIBUTE = "checkpoint.admitted";
  private static final java.util.regex.Pattern DOWNLOAD = java.util.regex.Pattern.compile("/backups/[0-9]+/download");
  /**
   * The context attribute that holds a {@code Supplier<String>} of the page of {@link #BAD_PATH}, rendered on first need: the
   * launcher's error handler sends it for the page paths Jetty refuses before the web app runs ("/backups/..;/instances"),
   * which no servlet of ours can render.
   */
  public static final String BAD_PATH_PAGE_ATTRIBUTE = "io.piholecheckpoint.badPathPage";
  /** The context attribute that holds an {@code IntFunction<String>}: the app's page for the other refusals Jetty makes itself. */
  public static final String REFUSED_PAGE_ATTRIBUTE = "io.piholecheckpoint.refusedPage";
  private static final String NOT_PLAIN = "this address is not in plain form (dot segments, '//', ';' parameters, backslashes,"
      + " needless percent-encoding or numbers with leading zeros); request the path as the app's own links write it";
  private static final HttpErrors.Answer BAD_PATH = new HttpErrors.Answer(400, "bad_path", NOT_PLAIN, "Bad request",
      "This address is not in plain form (dot segments, '//', ';' parameters, backslashes, needless percent-encoding or numbers"
          + " with leading zeros): open"
          + " the page from the app's own links.", null, null, null);
  private final Access access;
  private final Json json;
  private final Routes routes;
  private final FormFields forms;
  private final CsrfGuard csrf;
  private final TokenGuesses guesses;
  private final Views views;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param routes what each address accepts: OPTIONS and a method an address does not take are answered here, for every address alike
   * @param forms the fields each page form sends: any other, or one sent twice, is refused here for every form alike
   * @param views the error page, for a page asked for while the database is out of reach
   */
  public AccessFilter(Access access, Json json, Routes routes, FormFields forms, Views views) {
    this.access = access;
    this.views = views;
    this.json = json;
    this.routes = routes;
    this.forms = forms;
    this.csrf = new CsrfGuard(access.csrf());
    this.guesses = new TokenGuesses(access.throttle(), json);
  }

  @Override
  public void init() {
    getServletContext().setAttribute(BAD_PATH_PAGE_ATTRIBUTE, new BadPathPage(views, BAD_PATH, access.signInRequired()));
    getServletContext().setAttribute(REFUSED_PAGE_ATTRIBUTE, new RefusedPages(views, access.signInRequired()));
  }

  @Override
  protected void doFilter(HttpServletRequest direct, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    RequestPath path = RequestPath.of(direct);
    Gate gate = Gate.of(path.dispatched());
    if (direct.getDispatcherType() != DispatcherType.REQUEST) {
      redispatch(direct, response, chain, gate);
      return;
    }
    TrustedProxies.Client client = access.proxies().resolve(direct.getRemoteAddr(), direct.isSecure(),
        direct.getHeader("X-Forwarded-For"), direct.getHeader("X-Forwarded-Proto"));
    HttpServletRequest request = new ClientRequest(direct, client);
    if (!path.canonical()) {
      String raw = direct.getRequestURI() == null ? "" : direct.getRequestURI().substring(Math.min(direct.getContextPath().length(), direct.getRequestURI().length()));
      // every path that is not the API's, /static, /health and /metrics included ("/x/../static/app.css"), gets the page:
      // the same as the launcher's for the paths Jetty refuses itself, never a line of plain text; JSON to a client asking for it
      if (gate == Gate.API || ApiLookingPath.apiLooking(raw) || ApiLookingPath.asksForJson(direct.getHeader("Accept"))) {
        refuse(response, Gate.API, 400, BAD_PATH.code(), BAD_PATH.message());
      } else {
        request.setAttribute(Views.SIGN_IN_ATTRIBUTE, access.signInRequired());
        views.error(request, response, BAD_PATH);
      }
      return;
    }
    try {
      admit(request, response, chain, gate, path);
    } catch (RuntimeException e) {
      if (!databaseTrouble(e, request, response, gate)) {
        throw e;
      }
    }
  }

  private void admit(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Gate gate, RequestPath path)
      throws IOException, ServletException {
    Optional<String> address = SlashTwins.redirect(request.getMethod(), path.dispatched(), request.getQueryString(), routes);
    if (address.isPresent()) {
      // before sign-in: it says no more than the address the client wrote, and signing in then returns to the right one
      response.setStatus(SlashTwins.status(request.getMethod()));
      response.setHeader("Location", request.getContextPath() + address.get());
    } else if (!methodAccepted(request, response, gate, path.dispatched())) {
      return;
    } else if (gate == Gate.OPEN) {
      pass(request, response, chain, gate, path.dispatched());
    } else if (gate == Gate.METRICS) {
      metrics(request, response, chain, path.dispatched());
    } else {
      guarded(request, response, chain, gate, path.dispatched());
    }
  }

  /**
   * Whether the request's method is one its address takes; if not, it is answered here: 405 with
   * {@code Allow} (the address's methods; for an address no route serves, the server's, for a
   * method it never answers such as TRACE). Before sign-in: which methods an address takes is no
   * secret (README lists them), and a refusal shows no data.
   */
  private boolean methodAccepted(HttpServletRequest request, HttpServletResponse response, Gate gate, String path) throws IOException {
    String method = request.getMethod();
    Optional<String> allow = routes.allow(path);
    if (method.equals("OPTIONS")) {
      return true; // answered once the request is admitted: see pass
    }
    if (!Routes.METHODS.contains(method)) {
      response.setHeader("Allow", allow.orElse(String.join(", ", Routes.METHODS)));
      refuseMethod(request, response, gate, "this server does not answer " + method + " requests");
      return false;
    }
    if (allow.isPresent() && !routes.methods(path).orElseThrow().contains(method)) {
      response.setHeader("Allow", allow.get());
      refuseMethod(request, response, gate, "this address answers " + allow.get() + ", not " + method);
      return false;
    }
    return true;
  }

  /** The 405: the API's JSON under /api/, the app's error page for every other address, as a refused path is answered. */
  private void refuseMethod(HttpServletRequest request, HttpServletResponse response, Gate gate, String message) throws IOException {
    if (gate == Gate.API) {
      refuse(response, gate, 405, "method_not_allowed", message);
      return;
    }
    request.setAttribute(Views.SIGN_IN_ATTRIBUTE, access.signInRequired());
    views.error(request, response, new HttpErrors.Answer(405, "method_not_allowed", message, "Method not allowed", message + ".",
        null, null, null));
  }

  /**
   * Hands an admitted request on; OPTIONS is answered here for every address alike, 204 with
   * {@code Allow} (404 where nothing is): a servlet's own answer would list TRACE.
   */
  private void pass(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Gate gate, String path)
      throws IOException, ServletException {
    Optional<String> allow = routes.allow(path);
    if (allow.isEmpty()) {
      notFound(response, gate); // whatever the method: nothing is here
    } else if (!request.getMethod().equals("OPTIONS")) {
      chain.doFilter(request, response);
    } else {
      response.setHeader("Allow", allow.get());
      response.setStatus(204);
    }
  }

  private void notFound(HttpServletResponse response, Gate gate) throws IOException {
    if (gate == Gate.API) {
      json.error(response, 404, "not_found", "There is nothing at this address.");
    } else {
      response.sendError(404);
    }
  }

  private void metrics(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path) throws IOException, ServletException {
    if (access.metricsToken().isPresent()) {
      TokenGuesses.Verdict verdict = guesses.judge(access.metricsToken().get(), request, response);
      if (verdict == TokenGuesses.Verdict.REFUSED) {
        unauthorized(response, "send the METRICS_TOKEN as Authorization: Bearer <token>");
      }
      if (verdict != TokenGuesses.Verdict.ACCEPTED) {
        return;
      }
    }
    pass(request, response, chain, Gate.METRICS, path);
  }

  private void guarded(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Gate gate, String path)
      throws IOException, ServletException {
    boolean takesToken = gate == Gate.API && Gate.takesApiToken(path) && access.apiToken().isPresent();
    // without sign-in the API is open: a wrong token there guesses nothing, and is not slowed down
    TokenGuesses.Verdict verdict = !takesToken ? TokenGuesses.Verdict.REFUSED
        : !access.signInRequired() ? TokenGuesses.Verdict.of(access.apiToken().get().acceptsHeader(request.getHeader("Authorization")))
        : guesses.judge(access.apiToken().get(), request, response);
    if (verdict == TokenGuesses.Verdict.TOLD_TO_WAIT) {
      return;
    }
    boolean bearer = verdict == TokenGuesses.Verdict.ACCEPTED;
    String session = Cookies.read(request, Cookies.SESSION);
    boolean signedIn = access.signInRequired() && access.sessions().touch(session);
    request.setAttribute(Views.SIGN_IN_ATTRIBUTE, access.signInRequired());
    request.setAttribute(Views.SIGNED_IN_ATTRIBUTE, signedIn);
    if (access.signInRequired() && !signedIn && !bearer && gate != Gate.SIGN_IN) {
      signInFirst(request, response, gate, path);
      return;
    }
    if (routes.allow(path).isEmpty()) {
      notFound(response, gate); // before the CSRF check: a request for nothing is told so, token or not
      return;
    }
    String binding = signedIn ? "session:" + session : browserBinding(request, response, gate);
    CsrfGuard.Refusal refusal = bearer ? null : csrf.check(request, binding);
    if (refusal != null) {
      RefusedBody.drain(request); // an upload refused before its body is read must still hear why
      if (gate == Gate.PAGE || gate == Gate.SIGN_IN) {
        // a person at a browser: the styled error page (with this browser's own token for its sign-out form), not plain text
        request.setAttribute(Views.CSRF_ATTRIBUTE, csrf.tokenFor(binding));
        String message = refusal.message + (refusal.message.endsWith(".") ? "" : ".");
        views.error(request, response, new HttpErrors.Answer(403, "csrf", refusal.message, "Forbidden", message, null, null, null));
        return;
      }
      forbidden(response, gate, refusal);
      return;
    }
    request.setAttribute(Views.CSRF_ATTRIBUTE, csrf.tokenFor(binding));
    // after the token is known: the error page's forms (sign out) carry it, as every page's do
    Optional<HttpErrors.Answer> badForm = gate == Gate.API ? Optional.empty() : forms.refusal(request, path);
    if (badForm.isPresent()) {
      views.error(request, response, badForm.get());
      return;
    }
    request.setAttribute(ADMITTED_ATTRIBUTE, gate != Gate.SIGN_IN || !access.signInRequired() || signedIn);
    pass(request, response, chain, gate, path);
  }

  /** The per-browser id that binds CSRF tokens before sign-in and in open mode; pages give a browser one. */
  private String browserBinding(HttpServletRequest request, HttpServletResponse response, Gate gate) {
    String id = Cookies.read(request, Cookies.CSRF);
    if (id == null && gate != Gate.API) {
      id = Sessions.randomToken(random);
      Cookies.write(request, response, Cookies.CSRF, id, "Strict");
    }
    return id == null ? null : "browser:" + id;
  }

  /**
   * A forward or include (the API hands a request on by name to the servlet of its family; a
   * container may forward for welcome files) is let through to an open path, or to any path if
   * the original request was admitted with credentials.
   * Error dispatches are not filtered: the error page shows no data.
   */
  private void redispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Gate gate)
      throws IOException, ServletException {
    if (gate == Gate.OPEN || Boolean.TRUE.equals(request.getAttribute(ADMITTED_ATTRIBUTE))) {
      chain.doFilter(request, response);
    } else {
      refuse(response, gate, 403, "forbidden", "this resource is not reachable this way");
    }
  }

  private void signInFirst(HttpServletRequest request, HttpServletResponse response, Gate gate, String path) throws IOException {
    RefusedBody.drain(request);
    if (gate == Gate.API) {
      unauthorized(response, "sign in, or send the API_TOKEN as Authorization: Bearer <token>");
      return;
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      // a script with a token: the sign-in page it would be led to is no answer (curl -L saved it as the archive it asked for).
      // Only Bearer: a proxy's Basic sign-in in front of the app passes its header on with every browser request
      response.setHeader("WWW-Authenticate", "Bearer realm=\"pihole-checkpoint\"");
      refuse(response, gate, 401, "unauthorized", "the pages take a signed-in browser, not the API_TOKEN; scripts use the API at "
          + apiTwin(path));
      return;
    }
    String target = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    response.setHeader("Cache-Control", "no-store");
    response.sendRedirect(request.getContextPath() + "/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
  }

  /** The API's address of what a page shows, for the pages a script asks for: the archive's download; else the API itself. */
  private static String apiTwin(String path) {
    return DOWNLOAD.matcher(path).matches() ? "/api/v1" + path + " (the backup's downloadUrl)" : "/api/v1/ (see README, HTTP endpoints)";
  }

  private void unauthorized(HttpServletResponse response, String message) throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer realm=\"pihole-checkpoint\"");
    json.error(response, 401, "unauthorized", message);
  }

  private void forbidden(HttpServletResponse response, Gate gate, CsrfGuard.Refusal refusal) throws IOException {
    String message = refusal.message
        + (gate == Gate.API ? " (scripts: send the API_TOKEN as Authorization: Bearer <token>, and no cookies)" : "");
    refuse(response, gate, 403, "csrf", message);
  }

  /**
   * The database out of reach or busy (another connection holding it) while a request is admitted (its session, the
   * sign-in) or served: the 503 that passes, with Retry-After, as the servlets answer it, not a 500. Whether it was: the
   * answer is written.
   */
  private boolean databaseTrouble(RuntimeException e, HttpServletRequest request, HttpServletResponse response, Gate gate)
      throws IOException {
    Optional<HttpErrors.Answer> answer = HttpErrors.of(e)
        .filter(a -> a.code().equals("database_unreachable") || a.code().equals("database_busy"));
    if (answer.isEmpty() || response.isCommitted()) {
      return false;
    }
    if (gate == Gate.PAGE || gate == Gate.SIGN_IN) {
      // a person at a browser: the same styled error page as a busy database, not a line of plain text
      views.error(request, response, answer.get());
      return true;
    }
    response.setHeader("Retry-After", Long.toString(answer.get().retryAfterSeconds()));
    refuse(response, gate, 503, answer.get().code(), gate == Gate.API ? answer.get().message() : answer.get().pageMessage());
    return true;
  }

  /** A refusal in the shape the caller reads: JSON error for the API, plain text otherwise. */
  private void refuse(HttpServletResponse response, Gate gate, int status, String code, String message) throws IOException {
    if (gate == Gate.API) {
      json.error(response, status, code, message);
      return;
    }
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    String reason = switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 405 -> "Method not allowed";
      case 503 -> "Unavailable";
      default -> "Bad request";
    };
    response.getWriter().write(reason + ": " + message + (message.endsWith(".") ? "" : ".") + "\n");
  }
}
