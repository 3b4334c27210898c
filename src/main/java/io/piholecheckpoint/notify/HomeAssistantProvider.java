package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;

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
    if (webhookId != null) {
      return postJson(baseUrl + "/api/webhook/" + webhookId, n.fields()).build();
    }
    return postJson(baseUrl + "/api/events/pihole_checkpoint", n.fields()).header("Authorization", "Bearer " + token).build();
  }
}
