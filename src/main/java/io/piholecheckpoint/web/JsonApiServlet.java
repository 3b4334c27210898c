package io.piholecheckpoint.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A servlet of the JSON API: exceptions of the core are answered with their status by {@link ApiErrors}. */
abstract class JsonApiServlet extends HttpServlet {
  protected final Json json;

  JsonApiServlet(Json json) {
    this.json = json;
  }

  @Override
  protected final void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    try {
      super.service(request, response);
    } catch (RuntimeException e) {
      if (!ApiErrors.answer(e, response, json)) {
        throw e;
      }
    }
  }
}
