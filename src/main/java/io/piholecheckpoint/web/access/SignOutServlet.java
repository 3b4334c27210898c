package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** {@code POST /logout}: ends the session on the server, so a copied cookie is worthless afterwards. A GET does nothing. */
public final class SignOutServlet extends HttpServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "POST /logout");
  private final Sessions sessions;

  public SignOutServlet(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    sessions.end(Cookies.read(request, Cookies.SESSION));
    Cookies.clear(request, response, Cookies.SESSION);
    response.setStatus(303);
    response.setHeader("Location", request.getContextPath() + "/login");
  }
}
