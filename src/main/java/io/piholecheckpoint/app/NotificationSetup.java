package io.piholecheckpoint.app;

import io.piholecheckpoint.notify.NotifyEvent;
import io.piholecheckpoint.notify.Outbound;
import io.piholecheckpoint.notify.Provider;
import io.piholecheckpoint.notify.Providers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notification settings from NOTIFY_* variables (secrets also as _FILE). A provider that is
 * half configured is left out and reported with the variable to fix, rather than stopping the
 * app: backups matter more than their notifications.
 */
record NotificationSetup(List<Provider> providers, Set<NotifyEvent> enabled, Duration cooldown, int diskWarnPercent, List<String> problems) {

  static NotificationSetup from(Map<String, String> env, Outbound outbound) {
    List<String> problems = new ArrayList<>();
    List<Provider> providers = new ArrayList<>();
    Reader r = new Reader(env, problems);
    r.value("NOTIFY_DISCORD_WEBHOOK_URL").ifPresent(url -> providers.add(Providers.discord(url, outbound)));
    r.value("NOTIFY_SLACK_WEBHOOK_URL").ifPresent(url -> providers.add(Providers.slack(url, outbound)));
    r.secret("NOTIFY_TELEGRAM_BOT_TOKEN").ifPresent(token -> r.required("NOTIFY_TELEGRAM_CHAT_ID", "NOTIFY_TELEGRAM_BOT_TOKEN").ifPresent(chat ->
        providers.add(Providers.telegram(r.value("NOTIFY_TELEGRAM_API_URL").orElse("https://api.telegram.org"), token, chat, outbound))));
    r.secret("NOTIFY_PUSHBULLET_API_KEY").ifPresent(key ->
        providers.add(Providers.pushbullet(r.value("NOTIFY_PUSHBULLET_API_URL").orElse("https://api.pushbullet.com"), key, outbound)));
    r.value("NOTIFY_HOMEASSISTANT_URL").ifPresent(url -> {
      Optional<String> webhook = r.secret("NOTIFY_HOMEASSISTANT_WEBHOOK_ID");
      Optional<String> token = r.secret("NOTIFY_HOMEASSISTANT_TOKEN");
      if (webhook.isEmpty() && token.isEmpty()) {
        problems.add("NOTIFY_HOMEASSISTANT_URL is set but neither NOTIFY_HOMEASSISTANT_WEBHOOK_ID nor NOTIFY_HOMEASSISTANT_TOKEN: set one");
      } else {
        providers.add(Providers.homeAssistant(url, token.orElse(null), webhook.orElse(null), outbound));
      }
    });
    r.value("NOTIFY_NTFY_URL").ifPresent(url -> r.required("NOTIFY_NTFY_TOPIC", "NOTIFY_NTFY_URL").ifPresent(topic ->
        providers.add(Providers.ntfy(url, topic, r.secret("NOTIFY_NTFY_TOKEN").orElse(null), outbound))));
    r.value("NOTIFY_GOTIFY_URL").ifPresent(url -> r.requiredSecret("NOTIFY_GOTIFY_TOKEN", "NOTIFY_GOTIFY_URL").ifPresent(token ->
        providers.add(Providers.gotify(url, token, outbound))));
    r.value("NOTIFY_WEBHOOK_URL").ifPresent(url -> providers.add(Providers.webhook(url,
        r.value("NOTIFY_WEBHOOK_METHOD").orElse("POST").toUpperCase(Locale.ROOT), r.headers("NOTIFY_WEBHOOK_HEADERS"), outbound)));
    r.value("NOTIFY_EMAIL_HOST").ifPresent(host -> r.required("NOTIFY_EMAIL_TO", "NOTIFY_EMAIL_HOST").ifPresent(to -> {
      String security = r.value("NOTIFY_EMAIL_SECURITY").orElse("starttls").toUpperCase(Locale.ROOT);
      if (!Set.of("STARTTLS", "TLS", "NONE").contains(security)) {
        problems.add("NOTIFY_EMAIL_SECURITY='" + security.toLowerCase(Locale.ROOT) + "' must be starttls, tls or none");
        return;
      }
      int port = r.number("NOTIFY_EMAIL_PORT", security.equals("TLS") ? 465 : security.equals("NONE") ? 25 : 587, 1, 65_535);
      Optional<String> user = r.value("NOTIFY_EMAIL_USER");
      providers.add(Providers.email(host, port, security, user.orElse(null), r.secret("NOTIFY_EMAIL_PASSWORD").orElse(null),
          r.value("NOTIFY_EMAIL_FROM").orElse(user.orElse("pihole-checkpoint@localhost")), to));
    }));
    Set<NotifyEvent> enabled = EnumSet.noneOf(NotifyEvent.class);
    for (NotifyEvent e : NotifyEvent.values()) {
      if (r.flag(e.switchVariable(), e.onByDefault())) {
        enabled.add(e);
      }
    }
    Duration cooldown = r.duration("NOTIFY_COOLDOWN", Duration.ofHours(6));
    return new NotificationSetup(providers, enabled, cooldown, r.number("DISK_WARN_PERCENT", 10, 0, 99), problems);
  }

  /** Reads variables, collecting what is wrong instead of throwing. */
  private record Reader(Map<String, String> env, List<String> problems) {
    Optional<String> value(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    Optional<String> secret(String name) {
      try {
        return Settings.secret(env, name);
      } catch (AppConfig.ConfigException e) {
        problems.add(e.getMessage());
        return Optional.empty();
      }
    }

    Optional<String> required(String name, String because) {
      Optional<String> v = value(name);
      if (v.isEmpty()) {
        problems.add(because + " is set but " + name + " is not: set it too");
      }
      return v;
    }

    Optional<String> requiredSecret(String name, String because) {
      Optional<String> v = secret(name);
      if (v.isEmpty()) {
        problems.add(because + " is set but " + name + " (or " + name + "_FILE) is not: set it too");
      }
      return v;
    }

    int number(String name, int fallback, int min, int max) {
      try {
        return Settings.number(env, name, fallback, min, max);
      } catch (AppConfig.ConfigException e) {
        problems.add(e.getMessage() + "; using " + fallback);
        return fallback;
      }
    }

    Duration duration(String name, Duration fallback) {
      try {
        return Settings.duration(env, name).orElse(fallback);
      } catch (AppConfig.ConfigException e) {
        problems.add(e.getMessage() + "; using " + fallback.toHours() + "h");
        return fallback;
      }
    }

    boolean flag(String name, boolean fallback) {
      try {
        return Settings.flag(env, name, fallback);
      } catch (AppConfig.ConfigException e) {
        problems.add(e.getMessage() + "; using " + fallback);
        return fallback;
      }
    }

    /** "Name: value; Other: value". */
    Map<String, String> headers(String name) {
      Map<String, String> headers = new LinkedHashMap<>();
      value(name).ifPresent(all -> {
        for (String h : all.split(";")) {
          int colon = h.indexOf(':');
          if (colon > 0) {
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
          } else if (!h.isBlank()) {
            problems.add(name + ": '" + h.trim() + "' is not 'Name: value'; separate headers with ';'");
          }
        }
      });
      return headers;
    }
  }
}
