package io.piholecheckpoint.app;

import io.piholecheckpoint.notify.NotifyEvent;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names Pi-hole Checkpoint 1.x gave its notification switches, read as aliases of ours so
 * that its users' environment keeps meaning what it meant: a 1.x switch covered several of our
 * events ("failure" was backups and restores alike). Only the name is translated; the value is
 * read by the same reader as ours. When both are set, ours wins and the 1.x name is reported
 * with the other unused settings, in the one warning of the start.
 */
final class NotifyAliases {
  /** A 1.x switch and the events it switched. */
  record Alias(String name, Set<NotifyEvent> covers) {
  }

  static final List<Alias> SWITCHES = List.of(
      new Alias("NOTIFY_ON_FAILURE", EnumSet.of(NotifyEvent.BACKUP_FAILED, NotifyEvent.RESTORE_FAILED)),
      new Alias("NOTIFY_ON_SUCCESS", EnumSet.of(NotifyEvent.BACKUP_SUCCEEDED, NotifyEvent.RESTORE_SUCCEEDED)),
      new Alias("NOTIFY_ON_CONNECTION_LOST", EnumSet.of(NotifyEvent.UNREACHABLE)));
  /** The providers, by the middle of their variables' names; each may be switched off with NOTIFY_<P>_ENABLED=false, as in 1.x. */
  static final List<String> PROVIDERS = List.of("DISCORD", "SLACK", "TELEGRAM", "PUSHBULLET", "HOMEASSISTANT", "NTFY", "GOTIFY",
      "WEBHOOK", "EMAIL");

  private NotifyAliases() {
  }

  /**
   * The variable to read each event's switch from: ours when it is set, else the 1.x alias that
   * covers it when that is set (and reads as a switch), else ours (unset: the event's default
   * applies). A 1.x alias set beside ours, or to something that is no switch, is named in
   * {@code problems}, once.
   */
  static Map<NotifyEvent, String> switches(Map<String, String> env, List<String> problems) {
    Map<NotifyEvent, String> switches = new EnumMap<>(NotifyEvent.class);
    for (NotifyEvent event : NotifyEvent.values()) {
      switches.put(event, event.switchVariable());
    }
    for (Alias alias : SWITCHES) {
      if (!isSet(env, alias.name()) || !readable(env, alias, problems)) {
        continue;
      }
      for (NotifyEvent event : alias.covers()) {
        String ours = event.switchVariable();
        if (isSet(env, ours)) {
          problems.add(ours + " and " + alias.name() + " (the Pi-hole Checkpoint 1.x name) are both set: " + ours + " is used for "
              + event.code() + "; remove one");
        } else {
          switches.put(event, alias.name());
        }
      }
    }
    return switches;
  }

  private static boolean readable(Map<String, String> env, Alias alias, List<String> problems) {
    try {
      Settings.flag(env, alias.name(), false);
      return true;
    } catch (AppConfig.ConfigException e) {
      problems.add(e.getMessage() + "; " + alias.covers().stream().map(NotifyEvent::code).collect(Collectors.joining(" and "))
          + " keep their defaults");
      return false;
    }
  }

  /** The switch of a provider: "NOTIFY_DISCORD_ENABLED". */
  static String enabledSwitch(String provider) {
    return "NOTIFY_" + provider + "_ENABLED";
  }

  /** Every name this class adds to the notification settings, so none of them is called a typo (a new, modifiable set). */
  static Set<String> names() {
    Set<String> names = new HashSet<>();
    SWITCHES.forEach(a -> names.add(a.name()));
    PROVIDERS.forEach(p -> names.add(enabledSwitch(p)));
    return names;
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }
}
