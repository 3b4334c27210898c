package io.piholecheckpoint.web.api;

import io.piholecheckpoint.web.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A servlet of the JSON API: exceptions of the core are answered with their status by {@link ApiErrors}.
 * OPTIONS and a method an address does not take were answered before (AccessFilter, from each
 * servlet's {@code ROUTES}); what still reaches a servlet with a method it has no handler for is an
 * address none of its routes serves: a 404 in JSON. HttpServlet's own answers are not used: they
 * are HTML error pages (405, 501 for unknown methods), OPTIONS that lists TRACE and, for TRACE, an
 * echo of the request's headers, cookies included.
 */
abstract class JsonApiServlet extends HttpServlet {
  protected final Json json;
  private final List<String> methods;

  JsonApiServlet(Json json) {
    this.json = json;
    this.methods = handledMethods();
  }

  @Override
  protected final void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    if (!methods.contains(request.getMethod())) {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
      return;
    }
    try {
      super.service(request, response);
    } catch (RuntimeException e) {
      if (!ApiErrors.answer(e, response, json)) {
        throw e;
      }
    }
  }

  /**
   * Hands the request on to the servlet registered as {@code servlet}, the path unchanged: the
   * servlet of a family under an id, which no servlet mapping can match.
   */
  protected final void handOn(String servlet, HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    getServletContext().getNamedDispatcher(servlet).forward(request, response);
  }

  /** The methods whose {@code doXxx} the concrete servlet overrides; HEAD comes with GET. */
  private List<String> handledMethods() {
    List<String> handled = new ArrayList<>();
    for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
      String handler = "do" + method.charAt(0) + method.substring(1).toLowerCase(java.util.Locale.ROOT);
      if (Arrays.stream(getClass().getDeclaredMethods()).anyMatch(m -> m.getName().equals(handler))) {
        handled.add(method);
        if (method.equals("GET")) {
          handled.add("HEAD");
        }
      }
    }
    return List.copyOf(handled);
  }
}
