package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How FTL answers, for every part of the fake Pi-hole: JSON ending in {@code "took"}, the
 * {@code {"error":{"key","message","hint"}}} shape, and the security headers on every response.
 */
final class FakeReplies {
  static final ObjectMapper JSON = new ObjectMapper();

  private FakeReplies() {
  }

  static void error(HttpExchange ex, int status, String key, String message, String hint) throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode error = answer.putObject("error");
    error.put("key", key).put("message", message);
    if (hint == null) {
      error.putNull("hint");
    } else {
      error.put("hint", hint);
    }
    json(ex, status, answer);
  }

  static void json(HttpExchange ex, int status, ObjectNode answer) throws IOException {
    answer.put("took", 0.0003);
    byte[] body = JSON.writeValueAsBytes(answer);
    securityHeaders(ex);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static void html(HttpExchange ex, int status, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static void noContent(HttpExchange ex) throws IOException {
    ex.sendResponseHeaders(204, -1);
  }

  static void securityHeaders(HttpExchange ex) {
    ex.getResponseHeaders().set("Cache-Control", "no-cache, no-store, must-revalidate, private, max-age=0");
    ex.getResponseHeaders().set("X-Frame-Options", "DENY");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self' 'unsafe-inline';");
  }
}
