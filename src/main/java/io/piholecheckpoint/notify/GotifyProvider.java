package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.Map;

/** Gotify (NOTIFY_GOTIFY_URL + _TOKEN, an application token, sent as a header rather than in the URL). */
final class GotifyProvider extends HttpProvider {
  private final String serverUrl;
  private final String token;

  GotifyProvider(String serverUrl, String token, Outbound outbound) {
    super(outbound);
    this.serverUrl = withoutTrailingSlash(serverUrl);
    this.token = token;
  }

  @Override
  public String name() {
    return "gotify";
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    int priority = switch (n.event().severity()) {
      case "error" -> 8;
      case "warning" -> 5;
      default -> 2;
    };
    return postJson(serverUrl + "/message", Map.of("title", n.title(), "message", truncate(n.message(), 4000), "priority", priority))
        .header("X-Gotify-Key", token).build();
  }
}
