package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.Map;

/**
 * A Telegram bot (NOTIFY_TELEGRAM_BOT_TOKEN and _CHAT_ID), MarkdownV2 with the title in bold.
 * Every character MarkdownV2 reserves is escaped, the backslash first, or Telegram refuses the
 * message (a Pi-hole error text is full of dots and brackets).
 */
final class TelegramProvider extends HttpProvider {
  private static final String RESERVED = "\\_*[]()~`>#+-=|{}.!";
  private final String apiUrl;
  private final String token;
  private final String chatId;

  TelegramProvider(String apiUrl, String token, String chatId, Outbound outbound) {
    super(outbound);
    this.apiUrl = apiUrl;
    this.token = token;
    this.chatId = chatId;
  }

  @Override
  public String name() {
    return "telegram";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      if (RESERVED.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    // the API takes the token in the path; it never reaches a log line (errors name the provider only)
    String text = "*" + escape(n.title()) + "*\n" + escape(truncate(n.message(), 3500));
    return postJson(apiUrl + "/bot" + token + "/sendMessage",
        Map.of("chat_id", chatId, "text", text, "parse_mode", "MarkdownV2", "disable_web_page_preview", true)).build();
  }
}
