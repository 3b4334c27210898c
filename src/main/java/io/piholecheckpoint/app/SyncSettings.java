package io.piholecheckpoint.app;

import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncMembers;
import io.piholecheckpoint.core.syncgroup.SyncGroupRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sync groups from {@code SYNC_<GROUP>_*} variables, each validated in full before it is used, by
 * the rules a group added in the UI is checked by ({@link SyncGroupRules}). A bad value never stops
 * the app: its group is disabled and named with the variable to fix ({@link #disabled()}); the
 * other groups, and every backup, go on. Which instances the names
 * refer to, and whether groups clash, is checked once the instances are known (core.sync).
 *
 * @param disabled group name → why it is not used
 * @param disabledMembers the Pi-holes each of those names: a group that runs must not clash with one of them
 * @param warnings variables that configure nothing
 */
record SyncSettings(List<SyncGroup> groups, Map<String, String> disabled, List<SyncMembers> disabledMembers, List<String> warnings) {
  private static final Pattern PRIMARY = Pattern.compile("SYNC_([A-Z][A-Z0-9_]*)_PRIMARY");
  private static final List<String> SUFFIXES = SyncGroupRules.SUFFIXES.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

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
    List<SyncMembers> disabledMembers = new ArrayList<>();
    for (String name : names) {
      try {
        groups.add(group(env, name, fireTimes));
      } catch (SyncGroupRules.Problem e) {
        disabled.put(name, e.getMessage());
        disabledMembers.add(new SyncMembers(name, Settings.value(env, "SYNC_" + name + "_PRIMARY", "").trim(),
            SyncGroupRules.list(env.get("SYNC_" + name + "_REPLICAS"))));
      }
    }
    return new SyncSettings(groups, disabled, disabledMembers, strays(env.keySet(), names));
  }

  private static SyncGroup group(Map<String, String> env, String name, FireTimes fireTimes) {
    String p = "SYNC_" + name + "_";
    return SyncGroupRules.read(name, suffix -> env.get(p + suffix), suffix -> p + suffix, fireTimes);
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
