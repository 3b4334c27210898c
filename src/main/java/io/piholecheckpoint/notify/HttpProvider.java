package io.piholecheckpoint.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** A provider reached by one HTTP request per notification. */
abstract class HttpProvider implements Provider {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Outbound outbound;

  HttpProvider(Outbound outbound) {
    this.outbound = outbound;
  }

  abstract HttpRequest request(Notification n) throws Exception;

  @Override
  public final Outbound.Result deliver(Notification notification) {
    HttpRequest request;
    try {
      request = request(notification);
    } catch (Exception e) {
      // an address or header it refuses is quoted whole in its message, token and all: never repeated
      return new Outbound.Result(false, 0, "cannot build the request: " + (e instanceof IllegalArgumentException
          ? "its address or a header cannot be used (not repeated here: it may hold a token)" : e.getMessage()), 0);
    }
    return outbound.send(request);
  }

  static HttpRequest.Builder post(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("User-Agent", "pihole-checkpoint");
  }

  /** A POST of {@code body} as JSON; more headers may follow. */
  static HttpRequest.Builder postJson(String url, Object body) throws Exception {
    return post(url).header("Content-Type", "application/json").POST(json(body));
  }

  static HttpRequest.BodyPublisher json(Object body) throws Exception {
    return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
  }

  static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Cut to a provider's limit, with an ellipsis. */
  static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 2)) ? max - 2 : max - 1; // never half an emoji
    return text.substring(0, end) + "…";
  }
}
