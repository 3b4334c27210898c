package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.Map;

/** A Slack incoming webhook (NOTIFY_SLACK_WEBHOOK_URL): plain text, so nothing in it is read as markup. */
final class SlackProvider extends HttpProvider {
  private final String webhookUrl;

  SlackProvider(String webhookUrl, Outbound outbound) {
    super(outbound);
    this.webhookUrl = webhookUrl;
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    String text = (n.title() + "\n" + n.message()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return postJson(webhookUrl, Map.of("text", truncate(text, 3000))).build();
  }
}
