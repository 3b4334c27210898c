package io.piholecheckpoint.notify;

import java.util.Map;

/** The ways to build each provider, for the configuration code outside this package. */
public final class Providers {
  private Providers() {
  }

  public static Provider discord(String webhookUrl, Outbound outbound) {
    return new DiscordProvider(webhookUrl, outbound);
  }

  public static Provider slack(String webhookUrl, Outbound outbound) {
    return new SlackProvider(webhookUrl, outbound);
  }

  public static Provider telegram(String apiUrl, String token, String chatId, Outbound outbound) {
    return new TelegramProvider(apiUrl, token, chatId, outbound);
  }

  public static Provider pushbullet(String apiUrl, String apiKey, Outbound outbound) {
    return new PushbulletProvider(apiUrl, apiKey, outbound);
  }

  public static Provider homeAssistant(String url, String token, String webhookId, Outbound outbound) {
    return new HomeAssistantProvider(url, token, webhookId, outbound);
  }

  public static Provider ntfy(String url, String topic, String token, Outbound outbound) {
    return new NtfyProvider(url, topic, token, outbound);
  }

  public static Provider gotify(String url, String token, Outbound outbound) {
    return new GotifyProvider(url, token, outbound);
  }

  public static Provider webhook(String url, String method, Map<String, String> headers, Outbound outbound) {
    return new WebhookProvider(url, method, headers, outbound);
  }

  /** @param security starttls, tls or none */
  public static Provider email(String host, int port, String security, String user, String password, String from, String to) {
    return new EmailProvider(new EmailProvider.Settings(host, port, EmailProvider.Security.valueOf(security.toUpperCase(java.util.Locale.ROOT)),
        user, password, from, to));
  }
}
