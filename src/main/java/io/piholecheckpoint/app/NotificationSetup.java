package io.piholecheckpoint.app;

import io.piholecheckpoint.notify.NotifyEvent;
import io.piholecheckpoint.notify.Outbound;
import io.piholecheckpoint.notify.Provider;
import io.piholecheckpoint.notify.Providers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notification settings from NOTIFY_* variables (secrets also as _FILE). As for instance
 * settings, a bad value never stops the app: a provider that is half configured or has a value
 * that cannot work (an address that is no http(s) URL, say) is left out, a bad switch, cooldown or
 * threshold falls back to its default, and every one of them is named with the variable to fix
 * ({@link #summary()}: one message for all) — backups matter more than their notifications.
 */
record NotificationSetup(List<Provider> providers, Set<NotifyEvent> enabled, Duration cooldown, int diskWarnPercent, List<String> problems) {

  /** The variables read here besides the NOTIFY_ON_* switches; a secret also as NAME_FILE. */
  private static final Set<String> VARIABLES = Set.of("NOTIFY_DISCORD_WEBHOOK_URL", "NOTIFY_SLACK_WEBHOOK_URL", "NOTIFY_TELEGRAM_BOT_TOKEN",
      "NOTIFY_TELEGRAM_CHAT_ID", "NOTIFY_TELEGRAM_API_URL", "NOTIFY_PUSHBULLET_API_KEY", "NOTIFY_PUSHBULLET_API_URL", "NOTIFY_HOMEASSISTANT_URL",
      "NOTIFY_HOMEASSISTANT_WEBHOOK_ID", "NOTIFY_HOMEASSISTANT_TOKEN", "NOTIFY_NTFY_URL", "NOTIFY_NTFY_TOPIC", "NOTIFY_NTFY_TOKEN",
      "NOTIFY_GOTIFY_URL", "NOTIFY_GOTIFY_TOKEN", "NOTIFY_WEBHOOK_URL", "NOTIFY_WEBHOOK_METHOD", "NOTIFY_WEBHOOK_HEADERS", "NOTIFY_EMAIL_HOST",
      "NOTIFY_EMAIL_TO", "NOTIFY_EMAIL_SECURITY", "NOTIFY_EMAIL_PORT", "NOTIFY_EMAIL_USER", "NOTIFY_EMAIL_PASSWORD", "NOTIFY_EMAIL_FROM",
      "NOTIFY_COOLDOWN");
  /** The ones that are credentials, also read from NAME_FILE: webhook addresses and headers are, as anyone holding them may post. */
  static final Set<String> SECRETS = Set.of("NOTIFY_DISCORD_WEBHOOK_URL", "NOTIFY_SLACK_WEBHOOK_URL", "NOTIFY_WEBHOOK_URL",
      "NOTIFY_WEBHOOK_HEADERS", "NOTIFY_TELEGRAM_BOT_TOKEN", "NOTIFY_PUSHBULLET_API_KEY", "NOTIFY_HOMEASSISTANT_WEBHOOK_ID",
      "NOTIFY_HOMEASSISTANT_TOKEN", "NOTIFY_NTFY_TOKEN", "NOTIFY_GOTIFY_TOKEN", "NOTIFY_EMAIL_PASSWORD");

  /** Every bad notification setting in one message, or nothing when all are sound. */
  Optional<String> summary() {
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(problems.size() + (problems.size() == 1 ? " setting is" : " settings are")
        + " not used as given (the app runs without them; fix and restart): " + String.join(" | ", problems));
  }

  static NotificationSetup from(Map<String, String> env, Outbound outbound) {
    List<String> problems = new ArrayList<>();
    List<Provider> providers = new ArrayList<>();
    NotifyReader r = new NotifyReader(env, problems);
    try {
      read(outbound, r, providers);
    } catch (RuntimeException e) {
      // a provider that cannot even be built is a notification problem, never a reason not to back up
      problems.add("notifications could not be set up (" + e.getMessage() + "); none are sent");
      providers.clear();
    }
    Set<NotifyEvent> enabled = EnumSet.noneOf(NotifyEvent.class);
    Map<NotifyEvent, String> switches = NotifyAliases.switches(env, problems);
    for (NotifyEvent e : NotifyEvent.values()) {
      if (r.flag(switches.get(e), e.onByDefault())) {
        enabled.add(e);
      }
    }
    Duration cooldown = r.duration("NOTIFY_COOLDOWN", Duration.ofHours(6));
    int diskWarn = r.number("DISK_WARN_PERCENT", 10, 0, 99);
    Set<String> names = NotifyAliases.names();
    for (NotifyEvent e : NotifyEvent.values()) {
      names.add(e.switchVariable());
    }
    env.keySet().stream().filter(k -> k.startsWith("NOTIFY_")).sorted().forEach(k -> {
      String base = k.endsWith("_FILE") ? k.substring(0, k.length() - "_FILE".length()) : k;
      boolean known = k.endsWith("_FILE") ? SECRETS.contains(base) : VARIABLES.contains(k) || names.contains(k);
      if (!known) {
        problems.add(k + " is not a notification setting (see NOTIFY_… in the README); it is ignored");
      }
    });
    return new NotificationSetup(providers, enabled, cooldown, diskWarn, problems);
  }

  /**
   * Reads each provider that is not switched off with NOTIFY_<P>_ENABLED=false (1.x's switch; unset
   * or true: used when configured). A provider switched on while none of its variables is set is
   * named: its owner expects messages that will not come.
   */
  private static void read(Outbound outbound, NotifyReader r, List<Provider> providers) {
    Map<String, Runnable> readers = readers(outbound, r, providers);
    for (String provider : NotifyAliases.PROVIDERS) {
      String enabled = NotifyAliases.enabledSwitch(provider);
      int problems = r.problems().size();
      if (!r.flag(enabled, true)) {
        continue;
      }
      boolean saidTrue = r.value(enabled).isPresent() && r.problems().size() == problems;
      String prefix = "NOTIFY_" + provider + "_";
      if (saidTrue && r.env().keySet().stream().noneMatch(k -> k.startsWith(prefix) && !k.equals(enabled) && r.value(k).isPresent())) {
        r.problems().add(enabled + " is true but no " + prefix + "… variable is set: configure it (see the README) or remove " + enabled);
      }
      readers.get(provider).run();
    }
  }

  /** How each provider of {@link NotifyAliases#PROVIDERS} is read. */
  private static Map<String, Runnable> readers(Outbound outbound, NotifyReader r, List<Provider> providers) {
    List<String> problems = r.problems();
    return Map.of(
        "DISCORD", () -> r.url("NOTIFY_DISCORD_WEBHOOK_URL").ifPresent(url -> providers.add(Providers.discord(url, outbound))),
        "SLACK", () -> r.url("NOTIFY_SLACK_WEBHOOK_URL").ifPresent(url -> providers.add(Providers.slack(url, outbound))),
        "TELEGRAM", () -> r.secret("NOTIFY_TELEGRAM_BOT_TOKEN").ifPresent(token -> r.required("NOTIFY_TELEGRAM_CHAT_ID", "NOTIFY_TELEGRAM_BOT_TOKEN")
            .ifPresent(chat -> r.url("NOTIFY_TELEGRAM_API_URL", "https://api.telegram.org")
                .ifPresent(api -> providers.add(Providers.telegram(api, token, chat, outbound))))),
        "PUSHBULLET", () -> r.secret("NOTIFY_PUSHBULLET_API_KEY").ifPresent(key -> r.url("NOTIFY_PUSHBULLET_API_URL", "https://api.pushbullet.com")
            .ifPresent(api -> providers.add(Providers.pushbullet(api, key, outbound)))),
        "HOMEASSISTANT", () -> r.url("NOTIFY_HOMEASSISTANT_URL").ifPresent(url -> {
          Optional<String> webhook = r.secret("NOTIFY_HOMEASSISTANT_WEBHOOK_ID");
          Optional<String> token = r.secret("NOTIFY_HOMEASSISTANT_TOKEN");
          if (webhook.isEmpty() && token.isEmpty()) {
            problems.add("NOTIFY_HOMEASSISTANT_URL is set but neither NOTIFY_HOMEASSISTANT_WEBHOOK_ID nor NOTIFY_HOMEASSISTANT_TOKEN: set one");
          } else {
            providers.add(Providers.homeAssistant(url, token.orElse(null), webhook.orElse(null), outbound));
          }
        }),
        "NTFY", () -> r.url("NOTIFY_NTFY_URL").ifPresent(url -> r.required("NOTIFY_NTFY_TOPIC", "NOTIFY_NTFY_URL").ifPresent(topic ->
            providers.add(Providers.ntfy(url, topic, r.secret("NOTIFY_NTFY_TOKEN").orElse(null), outbound)))),
        "GOTIFY", () -> r.url("NOTIFY_GOTIFY_URL").ifPresent(url -> r.requiredSecret("NOTIFY_GOTIFY_TOKEN", "NOTIFY_GOTIFY_URL").ifPresent(token ->
            providers.add(Providers.gotify(url, token, outbound)))),
        "WEBHOOK", () -> r.url("NOTIFY_WEBHOOK_URL").ifPresent(url -> webhook(outbound, r, providers, url)),
        "EMAIL", () -> r.value("NOTIFY_EMAIL_HOST").ifPresent(host -> r.required("NOTIFY_EMAIL_TO", "NOTIFY_EMAIL_HOST")
            .ifPresent(to -> email(r, providers, host, to))));
  }

  private static void webhook(Outbound outbound, NotifyReader r, List<Provider> providers, String url) {
    String method = r.value("NOTIFY_WEBHOOK_METHOD").orElse("POST").toUpperCase(Locale.ROOT);
    if (!method.matches("[A-Z]{1,16}")) {
      r.problems().add("NOTIFY_WEBHOOK_METHOD='" + method + "' is not an HTTP method; use POST or PUT (the webhook is not used)");
      return;
    }
    providers.add(Providers.webhook(url, method, r.headers("NOTIFY_WEBHOOK_HEADERS"), outbound));
  }

  private static void email(NotifyReader r, List<Provider> providers, String host, String to) {
    List<String> problems = r.problems();
    String security = r.value("NOTIFY_EMAIL_SECURITY").orElse("starttls").toUpperCase(Locale.ROOT);
    if (!Set.of("STARTTLS", "TLS", "NONE").contains(security)) {
      problems.add("NOTIFY_EMAIL_SECURITY='" + security.toLowerCase(Locale.ROOT) + "' must be starttls, tls or none");
      return;
    }
    int port = r.number("NOTIFY_EMAIL_PORT", security.equals("TLS") ? 465 : security.equals("NONE") ? 25 : 587, 1, 65_535);
    Optional<String> user = r.value("NOTIFY_EMAIL_USER");
    List<String> bad = java.util.Arrays.stream(to.split(",")).map(String::trim).filter(a -> !a.matches("[^@\\s]+@[^@\\s]+")).toList();
    if (!bad.isEmpty()) {
      problems.add("NOTIFY_EMAIL_TO: " + String.join(", ", bad) + " is not an e-mail address (name@example.org); e-mail is not used");
      return;
    }
    providers.add(Providers.email(host, port, security, user.orElse(null), r.secret("NOTIFY_EMAIL_PASSWORD").orElse(null),
        r.value("NOTIFY_EMAIL_FROM").orElse(user.orElse("pihole-checkpoint@localhost")), to));
  }
}
