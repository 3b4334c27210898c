package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.Map;

/** A Discord webhook (NOTIFY_DISCORD_WEBHOOK_URL): a message of at most 2,000 characters. */
final class DiscordProvider extends HttpProvider {
  private final String webhookUrl;

  DiscordProvider(String webhookUrl, Outbound outbound) {
    super(outbound);
    this.webhookUrl = webhookUrl;
  }

  @Override
  public String name() {
    return "discord";
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    return postJson(webhookUrl, Map.of("username", "Pi-hole Checkpoint", "content", truncate("**" + n.title() + "**\n" + n.message(), 2000),
            "allowed_mentions", Map.of("parse", java.util.List.of()))).build();
  }
}
