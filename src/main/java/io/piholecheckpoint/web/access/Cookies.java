package io.piholecheckpoint.web.access;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Our two cookies, written as headers because the Servlet API cannot say SameSite on every
 * container. Both HttpOnly; Secure whenever the browser reached us over HTTPS (directly or
 * through a trusted proxy).
 */
final class Cookies {
  static final String SESSION = "checkpoint_session";
  static final String CSRF = "checkpoint_csrf";

  private Cookies() {
  }

  static String read(HttpServletRequest request, String name) {
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (c.getName().equals(name) && c.getValue().matches("[A-Za-z0-9_-]{43}")) {
          return c.getValue();
        }
      }
    }
    return null;
  }

  /** {@code sameSite}: Lax for the session (links from elsewhere still arrive signed in), Strict for the CSRF token. */
  static void write(HttpServletRequest request, HttpServletResponse response, String name, String value, String sameSite) {
    response.addHeader("Set-Cookie", name + "=" + value + "; Path=" + path(request) + "; HttpOnly; SameSite=" + sameSite
        + (request.isSecure() ? "; Secure" : ""));
  }

  static void clear(HttpServletRequest request, HttpServletResponse response, String name) {
    response.addHeader("Set-Cookie", name + "=; Path=" + path(request) + "; Max-Age=0; HttpOnly; SameSite=Lax"
        + (request.isSecure() ? "; Secure" : ""));
  }

  private static String path(HttpServletRequest request) {
    return request.getContextPath().isEmpty() ? "/" : request.getContextPath();
  }
}
