package io.piholecheckpoint.core.syncgroup;

import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.units.SettingText;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one set of rules for a sync group's settings, by the suffix of its {@code SYNC_<GROUP>_}
 * variable: those of the environment ({@code app.SyncSettings}) and those of a group added in the
 * UI or the API alike. Every message names the setting to fix by {@code label}: the variable for
 * the environment, the form's field for the UI.
 */
public final class SyncGroupRules {
  /** Every setting of a group, by suffix. */
  public static final List<String> SUFFIXES = List.of("PRIMARY", "REPLICAS", "MODE", "EXCLUDE_SETTINGS", "KEEP_REPLICA_DNS", "WHEN", "SNAPSHOT",
      "STALE_AFTER");
  /** The name of each setting in the form and the API, as {@code GET /api/v1/sync} names it. */
  public static final Map<String, String> FIELDS = Map.of("PRIMARY", "primary", "REPLICAS", "replicas", "MODE", "mode",
      "EXCLUDE_SETTINGS", "excludeSettings", "KEEP_REPLICA_DNS", "keepReplicaDns", "WHEN", "when", "SNAPSHOT", "snapshot",
      "STALE_AFTER", "staleAfter");

  private SyncGroupRules() {
  }

  /** A setting the rules refuse: {@code suffix} names it, the message says what to write instead. */
  public static final class Problem extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String suffix;

    Problem(String suffix, String message) {
      super(message);
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  /**
   * The group {@code name} with the settings {@code values} gives by suffix (null or blank: the default).
   *
   * @param label the name of a setting in messages, by suffix ({@code SYNC_HOME_MODE}, or {@code mode})
   * @throws Problem for the first setting the rules refuse
   */
  public static SyncGroup read(String name, Function<String, String> values, Function<String, String> label, FireTimes fireTimes) {
    Function<String, String> value = suffix -> {
      String v = values.apply(suffix);
      return v == null || v.isBlank() ? "" : v.trim();
    };
    String primary = value.apply("PRIMARY");
    if (primary.isEmpty()) {
      throw new Problem("PRIMARY", label.apply("PRIMARY") + " is missing: name the instance whose backups the replicas are made like");
    }
    Set<String> seen = new HashSet<>();
    // a replica listed twice (R1, r1) is synced once
    List<String> replicas = list(value.apply("REPLICAS")).stream().filter(r -> seen.add(InstanceNames.key(r))).toList();
    if (replicas.isEmpty()) {
      throw new Problem("REPLICAS", label.apply("REPLICAS") + " is missing: list the Pi-holes to keep like the primary (e.g. OFFICE,CABIN)");
    }
    String modeText = or(value.apply("MODE"), RestoreMode.LISTS_AND_DNS.id()).toLowerCase(Locale.ROOT);
    RestoreMode mode = switch (modeText) {
      case "lists" -> RestoreMode.LISTS;
      case "lists-and-dns" -> RestoreMode.LISTS_AND_DNS;
      case "all-but-identity" -> RestoreMode.ALL_BUT_IDENTITY;
      case "exact" -> throw new Problem("MODE", label.apply("MODE") + "=exact is refused: it would copy the primary's password, app password and"
          + " 2FA onto the replicas and lock you (and this app) out; use all-but-identity");
      default -> throw new Problem("MODE", label.apply("MODE") + "='" + modeText + "' must be lists, lists-and-dns or all-but-identity");
    };
    Set<String> excluded = new LinkedHashSet<>();
    for (String key : list(value.apply("EXCLUDE_SETTINGS"))) {
      if (!key.matches("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*")) {
        throw new Problem("EXCLUDE_SETTINGS", label.apply("EXCLUDE_SETTINGS") + ": '" + key + "' is not a setting's dotted name (e.g. dns.upstreams)");
      }
      excluded.add(key);
    }
    return new SyncGroup(name, primary, replicas, mode, excluded, flag(value.apply("KEEP_REPLICA_DNS"), label.apply("KEEP_REPLICA_DNS")),
        when(value.apply("WHEN"), label.apply("WHEN"), fireTimes), snapshot(value.apply("SNAPSHOT"), label.apply("SNAPSHOT")),
        staleAfter(value.apply("STALE_AFTER"), label.apply("STALE_AFTER")));
  }

  /** Comma-separated entries, trimmed, without empty ones or repeats. */
  public static List<String> list(String value) {
    return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }

  private static String or(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }

  private static boolean flag(String v, String label) {
    try {
      return SettingText.flag(or(v, "false"));
    } catch (IllegalArgumentException e) {
      throw new Problem("KEEP_REPLICA_DNS", label + "='" + v.toLowerCase(Locale.ROOT) + "' must be true or false");
    }
  }

  private static Duration staleAfter(String v, String label) {
    if (v.isEmpty()) {
      return null; // the default, tied to WHEN
    }
    try {
      return SettingText.duration(v);
    } catch (IllegalArgumentException e) {
      throw new Problem("STALE_AFTER", label + "='" + v + "' is not a duration of at most " + SettingText.LONGEST.toDays()
          + " days; write it as 90m, 36h, 2d or PT36H");
    }
  }

  /** null: after each backup of the primary. */
  private static Schedule when(String given, String label, FireTimes fireTimes) {
    String v = or(given, "after-backup");
    Schedule schedule = switch (v.toLowerCase(Locale.ROOT)) {
      case "after-backup" -> null;
      case "hourly" -> new Schedule(Schedule.Kind.HOURLY, LocalTime.of(0, 30), DayOfWeek.SUNDAY, null);
      case "daily" -> new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 30), DayOfWeek.SUNDAY, null);
      default -> {
        InstanceRules.cronText(v).ifPresent(problem -> {
          throw new Problem("WHEN", label + ": " + problem);
        });
        yield new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, v);
      }
    };
    if (schedule != null) {
      // not the backups' rule as a whole: a group's own words say what too frequent means for it, below, by the same limit
      InstanceRules.firesAgain(schedule, fireTimes).ifPresent(problem -> {
        throw new Problem("WHEN", label + "='" + v + "' must be after-backup, hourly, daily or a cron expression: " + problem);
      });
      if (underAMinuteApart(schedule, fireTimes, label + "='" + v + "' cannot be used: ")) {
        throw new Problem("WHEN", label + "='" + v + "' runs more often than once a minute: each run signs in to the primary and"
            + " every replica and exports them; choose after-backup, or a cron a minute apart at least (0 */5 * * * ?)");
      }
    }
    return schedule;
  }

  /** The limit backups have too ({@link FireTimes#underAMinuteApart}); a fire time Quartz cannot compute is the setting's problem, not a 500. */
  private static boolean underAMinuteApart(Schedule schedule, FireTimes fireTimes, String cannot) {
    try {
      return fireTimes.underAMinuteApart(schedule).isPresent();
    } catch (IllegalArgumentException e) {
      throw new Problem("WHEN", cannot + e.getMessage());
    }
  }

  private static SyncGroup.Snapshot snapshot(String given, String label) {
    String v = or(given, "first").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "first" -> SyncGroup.Snapshot.FIRST;
      case "always" -> SyncGroup.Snapshot.ALWAYS;
      case "never" -> SyncGroup.Snapshot.NEVER;
      default -> throw new Problem("SNAPSHOT", label + "='" + v + "' must be first, always or never");
    };
  }
}
