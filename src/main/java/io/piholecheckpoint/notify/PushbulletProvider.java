package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.Map;

/** Pushbullet (NOTIFY_PUSHBULLET_API_KEY): a note pushed to every device of the account. */
final class PushbulletProvider extends HttpProvider {
  private final String apiUrl;
  private final String apiKey;

  PushbulletProvider(String apiUrl, String apiKey, Outbound outbound) {
    super(outbound);
    this.apiUrl = apiUrl;
    this.apiKey = apiKey;
  }

  @Override
  public String name() {
    return "pushbullet";
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    return postJson(apiUrl + "/v2/pushes", Map.of("type", "note", "title", n.title(), "body", truncate(n.message(), 4000)))
        .header("Access-Token", apiKey).build();
  }
}
