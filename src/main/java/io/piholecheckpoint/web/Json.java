package io.piholecheckpoint.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** JSON answers: times as ISO-8601 strings, errors as {@code {"error":{"code","message"}}}. */
public final class Json {
  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // "{…}{" is not one JSON object
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

  /** The largest request body the API reads; instance settings are a few kB. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  /** A request the API cannot read: 400 (not JSON) or 413 (too large). */
  static final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BadRequestException(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  JsonNode readBody(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      throw new BadRequestException(413, "the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new BadRequestException(413, "the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BadRequestException(400, "send a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequestException(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
