package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Home Assistant (NOTIFY_HOMEASSISTANT_URL): with _WEBHOOK_ID, a POST to its webhook trigger;
 * with _TOKEN (a long-lived access token), an event {@code pihole_checkpoint} on its event bus.
 */
final class HomeAssistantProvider extends HttpProvider {
  private final String baseUrl;
  private final String token;
  private final String webhookId;

  HomeAssistantProvider(String baseUrl, String token, String webhookId, Outbound outbound) {
    super(outbound);
    this.baseUrl = withoutTrailingSlash(baseUrl);
    this.token = token;
    this.webhookId = webhookId;
  }

  @Override
  public String name() {
    return "homeassistant";
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("event", n.event().code());
    data.put("severity", n.event().severity());
    data.put("instance", n.instance());
    data.put("title", n.title());
    data.put("message", n.message());
    data.put("timestamp", n.at().toString());
    if (webhookId != null) {
      return post(baseUrl + "/api/webhook/" + webhookId).header("Content-Type", "application/json").POST(json(data)).build();
    }
    return post(baseUrl + "/api/events/pihole_checkpoint").header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token).POST(json(data)).build();
  }
}
