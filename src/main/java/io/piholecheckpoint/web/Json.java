package io.piholecheckpoint.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** JSON answers: times as ISO-8601 strings, errors as {@code {"error":{"code","message"}}}. */
public final class Json {
  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS);

  void write(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    mapper.writeValue(response.getOutputStream(), body);
  }

  void error(HttpServletResponse response, int status, String code, String message) throws IOException {
    write(response, status, Map.of("error", new ApiError(code, message)));
  }

  record ApiError(String code, String message) {
  }
}
