package io.piholecheckpoint.notify;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic webhook (NOTIFY_WEBHOOK_URL, _METHOD, _HEADERS): a JSON body with fixed field
 * names — app, event, severity, instance, title, message, timestamp — documented in the README.
 */
final class WebhookProvider extends HttpProvider {
  private final String url;
  private final String method;
  private final Map<String, String> headers;

  WebhookProvider(String url, String method, Map<String, String> headers, Outbound outbound) {
    super(outbound);
    this.url = url;
    this.method = method;
    this.headers = headers;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  HttpRequest request(Notification n) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("app", "pihole-checkpoint");
    body.putAll(n.fields());
    HttpRequest.Builder b = post(url).header("Content-Type", "application/json");
    headers.forEach(b::header);
    return b.method(method, json(body)).build();
  }
}
