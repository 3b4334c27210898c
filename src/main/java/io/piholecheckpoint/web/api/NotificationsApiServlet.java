package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.backup.events.Notifications;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/notifications}: the configured providers and the last deliveries;
 * {@code POST /api/v1/notifications/test}: a test message through every provider, with each outcome.
 */
public final class NotificationsApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/notifications",
      "POST /api/v1/notifications/test");
  private final Notifications notifier;

  /** One delivery attempt. */
  record DeliveryJson(Instant at, String provider, String event, boolean delivered, String error) {
    static List<DeliveryJson> all(List<Notifications.Delivery> deliveries) {
      return deliveries.stream().map(d -> new DeliveryJson(d.at(), d.provider(), d.event(), d.delivered(), d.error())).toList();
    }
  }

  public NotificationsApiServlet(Notifications notifier, Json json) {
    super(json);
    this.notifier = notifier;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
      json.error(response, 404, "not_found", "GET /api/v1/notifications");
      return;
    }
    json.write(response, 200, Map.of("providers", notifier.providerNames(), "deliveries", DeliveryJson.all(notifier.recentDeliveries())));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    if (!Paths.is(request, "test")) {
      json.error(response, 404, "not_found", "POST /api/v1/notifications/test");
      return;
    }
    if (notifier.providerNames().isEmpty()) {
      json.error(response, 409, "no_providers", "no notification provider is configured; set the NOTIFY_* variables (see the README)");
      return;
    }
    json.noBody(request);
    json.write(response, 200, Map.of("results", DeliveryJson.all(notifier.test())));
  }
}
