package io.piholecheckpoint.web.api;

import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Writes the answers of {@link HttpErrors} in the API's JSON shape. */
final class ApiErrors {
  private ApiErrors() {
  }

  /** Answers {@code e} and returns true, or returns false for an exception that is not the caller's fault. */
  static boolean answer(RuntimeException e, HttpServletResponse response, Json json) throws IOException {
    var found = HttpErrors.of(e);
    if (found.isEmpty()) {
      return false;
    }
    write(found.get(), response, json);
    return true;
  }

  static void write(HttpErrors.Answer a, HttpServletResponse response, Json json) throws IOException {
    if (a.retryAfterSeconds() != null) {
      response.setHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
    }
    if (a.field() != null) {
      // the same "fields" map as a validation error, so a client shows both the same way
      json.write(response, a.status(), Map.of("error", Map.of("code", a.code(), "message", a.message(), "field", a.field(),
          "fields", Map.of(a.field(), a.message()))));
    } else if (a.fields() != null) {
      json.write(response, a.status(), Map.of("error", Map.of("code", a.code(), "message", a.message(), "fields", a.fields())));
    } else {
      json.error(response, a.status(), a.code(), a.message());
    }
  }
}
