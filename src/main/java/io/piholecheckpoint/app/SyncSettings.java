package io.piholecheckpoint.app;

import io.piholecheckpoint.core.restore.RestoreMode;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.core.sync.SyncGroup;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sync groups from {@code SYNC_<GROUP>_*} variables, each validated in full before it is used. A
 * bad value never stops the app: its group is disabled and named with the variable to fix
 * ({@link #disabled()}); the other groups, and every backup, go on. Which instances the names
 * refer to, and whether groups clash, is checked once the instances are known (core.sync).
 *
 * @param disabled group name → why it is not used
 * @param warnings variables that configure nothing
 */
record SyncSettings(List<SyncGroup> groups, Map<String, String> disabled, List<String> warnings) {
  /** A run signs in to and exports every Pi-hole of the group: once a second it would hammer them and fill the history. */
  private static final Duration SHORTEST_PERIOD = Duration.ofMinutes(1);
  private static final Pattern PRIMARY = Pattern.compile("SYNC_([A-Z][A-Z0-9_]*)_PRIMARY");
  private static final List<String> SUFFIXES = List.of("EXCLUDE_SETTINGS", "KEEP_REPLICA_DNS", "REPLICAS", "SNAPSHOT", "PRIMARY", "MODE", "WHEN",
          "STALE_AFTER")
      .stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

  static SyncSettings read(Map<String, String> env, FireTimes fireTimes) {
    Set<String> names = new TreeSet<>();
    env.keySet().forEach(k -> {
      Matcher m = PRIMARY.matcher(k);
      if (m.matches() && !Settings.value(env, k, "").isEmpty()) {
        names.add(m.group(1));
      }
    });
    List<SyncGroup> groups = new ArrayList<>();
    Map<String, String> disabled = new LinkedHashMap<>();
    for (String name : names) {
      try {
        groups.add(group(env, name, fireTimes));
      } catch (IllegalArgumentException | AppConfig.ConfigException e) {
        disabled.put(name, e.getMessage());
      }
    }
    return new SyncSettings(groups, disabled, strays(env.keySet(), names));
  }

  private static SyncGroup group(Map<String, String> env, String name, FireTimes fireTimes) {
    String p = "SYNC_" + name + "_";
    String primary = Settings.value(env, p + "PRIMARY", "");
    Set<String> seen = new HashSet<>();
    // a replica listed twice (R1, r1) is synced once
    List<String> replicas = list(Settings.value(env, p + "REPLICAS", "")).stream().filter(r -> seen.add(r.toLowerCase(Locale.ROOT))).toList();
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException(p + "REPLICAS is missing: list the instances to keep like " + primary + ", separated by commas (e.g. OFFICE,CABIN)");
    }
    String modeText = Settings.value(env, p + "MODE", RestoreMode.LISTS_AND_DNS.id()).toLowerCase(Locale.ROOT);
    RestoreMode mode = switch (modeText) {
      case "lists" -> RestoreMode.LISTS;
      case "lists-and-dns" -> RestoreMode.LISTS_AND_DNS;
      case "all-but-identity" -> RestoreMode.ALL_BUT_IDENTITY;
      case "exact" -> throw new IllegalArgumentException(p + "MODE=exact is refused: it would copy the primary's password, app password and 2FA onto "
          + "the replicas and lock you (and this app) out; use all-but-identity");
      default -> throw new IllegalArgumentException(p + "MODE='" + modeText + "' must be lists, lists-and-dns or all-but-identity");
    };
    Set<String> excluded = new LinkedHashSet<>();
    for (String key : list(Settings.value(env, p + "EXCLUDE_SETTINGS", ""))) {
      if (!key.matches("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*")) {
        throw new IllegalArgumentException(p + "EXCLUDE_SETTINGS: '" + key + "' is not a setting's dotted name (e.g. dns.upstreams)");
      }
      excluded.add(key);
    }
    boolean keep = Settings.flag(env, p + "KEEP_REPLICA_DNS", false);
    return new SyncGroup(name, primary, replicas, mode, excluded, keep, when(env, p + "WHEN", fireTimes), snapshot(env, p + "SNAPSHOT"),
        Settings.duration(env, p + "STALE_AFTER").orElse(null));
  }

  /** null: after each backup of the primary. */
  private static Schedule when(Map<String, String> env, String variable, FireTimes fireTimes) {
    String v = Settings.value(env, variable, "after-backup");
    Schedule schedule = switch (v.toLowerCase(Locale.ROOT)) {
      case "after-backup" -> null;
      case "hourly" -> new Schedule(Schedule.Kind.HOURLY, LocalTime.of(0, 30), DayOfWeek.SUNDAY, null);
      case "daily" -> new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 30), DayOfWeek.SUNDAY, null);
      default -> {
        InstanceRules.cronText(v).ifPresent(problem -> {
          throw new IllegalArgumentException(variable + ": " + problem);
        });
        yield new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, v);
      }
    };
    if (schedule != null) {
      InstanceRules.schedule(schedule, fireTimes).ifPresent(problem -> {
        throw new IllegalArgumentException(variable + "='" + v + "' must be after-backup, hourly, daily or a cron expression: " + problem);
      });
      List<Instant> next = fireTimes.upcoming(schedule, 2);
      if (next.size() == 2 && Duration.between(next.get(0), next.get(1)).compareTo(SHORTEST_PERIOD) < 0) {
        throw new IllegalArgumentException(variable + "='" + v + "' runs more often than once a minute: each run signs in to the primary and"
            + " every replica and exports them; choose after-backup, or a cron a minute apart at least (0 */5 * * * ?)");
      }
    }
    return schedule;
  }

  private static SyncGroup.Snapshot snapshot(Map<String, String> env, String variable) {
    String v = Settings.value(env, variable, "first").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "first" -> SyncGroup.Snapshot.FIRST;
      case "always" -> SyncGroup.Snapshot.ALWAYS;
      case "never" -> SyncGroup.Snapshot.NEVER;
      default -> throw new IllegalArgumentException(variable + "='" + v + "' must be first, always or never");
    };
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }

  private static List<String> strays(Set<String> keys, Set<String> names) {
    List<String> strays = new ArrayList<>();
    keys.stream().filter(k -> k.startsWith("SYNC_")).sorted().forEach(key -> {
      String suffix = SUFFIXES.stream().filter(s -> key.endsWith("_" + s) && key.length() > "SYNC_".length() + s.length() + 1).findFirst().orElse(null);
      if (suffix == null) {
        strays.add(key + " is not a setting of Pi-hole Checkpoint (see SYNC_<GROUP>_… in the README); it is ignored");
      } else {
        String group = key.substring("SYNC_".length(), key.length() - suffix.length() - 1);
        if (!group.matches("[A-Z][A-Z0-9_]*")) {
          strays.add(key + " names no sync group: a group's name is upper-case letters, digits and _, starting with a letter"
              + " (SYNC_HOME_PRIMARY); it is ignored");
        } else if (!names.contains(group)) {
          strays.add(key + " belongs to no sync group: there is no SYNC_" + group + "_PRIMARY; it is ignored");
        }
      }
    });
    return strays;
  }
}
