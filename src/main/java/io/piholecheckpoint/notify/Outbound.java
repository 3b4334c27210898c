package io.piholecheckpoint.notify;

import io.piholecheckpoint.core.download.Pause;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends one HTTP request to a notification service or ping URL, retrying what may pass on a
 * second try — connection errors, timeouts, 5xx — with doubling pauses, and waiting out a 429's
 * {@code Retry-After} (at most a minute). Never throws: the outcome says what happened.
 */
public final class Outbound {
  /** @param status the last HTTP status, 0 when none arrived */
  public record Result(boolean delivered, int status, String error, int attempts) {
  }

  private static final int MAX_ATTEMPTS = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private final Pause pause;
  private HttpClient http;

  public Outbound(Pause pause) {
    this.pause = pause;
  }

  /**
   * Built on the first send: most setups never notify, and a client costs TLS set-up at start
   * (0.05 s) and a selector thread for as long as it lives.
   */
  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    return http;
  }

  public Result send(HttpRequest request) {
    Duration backoff = FIRST_BACKOFF;
    String error = null;
    int status = 0;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Duration wait = backoff;
      try {
        HttpResponse<String> response = http().send(request, HttpResponse.BodyHandlers.ofString());
        status = response.statusCode();
        if (status / 100 == 2) {
          return new Result(true, status, null, attempt);
        }
        error = "HTTP " + status + (response.body().isBlank() ? "" : ": " + abbreviate(response.body()));
        if (status == 429) {
          wait = retryAfter(response).orElse(backoff);
        } else if (status < 500) {
          return new Result(false, status, error, attempt); // the request itself is wrong: retrying changes nothing
        }
      } catch (IOException e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(false, status, "interrupted", attempt);
      }
      if (attempt < MAX_ATTEMPTS) {
        try {
          pause.pause(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Result(false, status, error, attempt);
        }
        backoff = backoff.multipliedBy(2);
      }
    }
    return new Result(false, status, error, MAX_ATTEMPTS);
  }

  private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        Duration d = Duration.ofSeconds(Long.parseLong(v.trim()));
        return java.util.Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
      } catch (NumberFormatException e) {
        return java.util.Optional.empty();
      }
    });
  }

  static String abbreviate(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    if (t.length() <= 200) {
      return t;
    }
    return t.substring(0, Character.isHighSurrogate(t.charAt(199)) ? 199 : 200) + "…"; // never half an emoji
  }
}
