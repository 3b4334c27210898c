package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;

/** ntfy (NOTIFY_NTFY_URL + _TOPIC, optional _TOKEN): the message as the body, the title and priority as headers. */
final class NtfyProvider extends HttpProvider {
  private final String serverUrl;
  private final String topic;
  private final String token;

  NtfyProvider(String serverUrl, String topic, String token, Outbound outbound) {
    super(outbound);
    this.serverUrl = withoutTrailingSlash(serverUrl);
    this.topic = topic;
    this.token = token;
  }

  @Override
  public String name() {
    return "ntfy";
  }

  @Override
  HttpRequest request(Notification n) {
    HttpRequest.Builder b = post(serverUrl + "/" + topic)
        .header("Title", n.title().replaceAll("[^\\x20-\\x7e]", "?"))
        .header("Priority", switch (n.event().severity()) {
          case "error" -> "high";
          case "warning" -> "default";
          default -> "low";
        })
        .header("Tags", n.event().code());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.POST(HttpRequest.BodyPublishers.ofString(truncate(n.message(), 4000))).build();
  }
}
