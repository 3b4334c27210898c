package io.piholecheckpoint.core.contents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Added, removed and changed items per category between two archives, and the settings whose
 * value changed (old → new; secrets only as "changed").
 */
public record ContentDiff(Map<String, Category> categories, List<SettingChange> settings) {

  /** Items are the categories' natural keys (an adlist's address, a domain with its kind, …). */
  public record Category(List<String> added, List<String> removed, List<String> changed) {
    boolean empty() {
      return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
  }

  public record SettingChange(String key, String before, String after) {
  }

  public static ContentDiff between(ArchiveContents before, ArchiveContents after) {
    Map<String, Category> categories = new LinkedHashMap<>();
    categories.put("groups", compare(before.groups(), after.groups(), ArchiveContents.Group::name));
    categories.put("adlists", compare(before.adlists(), after.adlists(), ArchiveContents.Adlist::address));
    categories.put("domains", compare(before.domains(), after.domains(), d -> d.kind() + " " + d.match() + " " + d.domain()));
    categories.put("clients", compare(before.clients(), after.clients(), ArchiveContents.Client::client));
    categories.put("dnsRecords", compare(before.dnsRecords(), after.dnsRecords(), r -> r));
    categories.put("cnames", compare(before.cnames(), after.cnames(), r -> r));
    List<SettingChange> settings = new ArrayList<>();
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(before.settings().keySet());
    keys.addAll(after.settings().keySet());
    for (String key : keys) {
      String old = before.settings().get(key);
      String now = after.settings().get(key);
      if (!Objects.equals(old, now)) {
        boolean secret = ArchiveContents.secret(key);
        settings.add(new SettingChange(key, secret ? "(changed)" : old, secret ? "(changed)" : now));
      }
    }
    return new ContentDiff(categories, settings);
  }

  private static <T> Category compare(List<T> before, List<T> after, Function<T, String> key) {
    Map<String, T> old = index(before, key);
    Map<String, T> now = index(after, key);
    List<String> added = now.keySet().stream().filter(k -> !old.containsKey(k)).toList();
    List<String> removed = old.keySet().stream().filter(k -> !now.containsKey(k)).toList();
    List<String> changed = now.keySet().stream().filter(k -> old.containsKey(k) && !old.get(k).equals(now.get(k))).toList();
    return new Category(added, removed, changed);
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    Map<String, T> map = new LinkedHashMap<>();
    items.forEach(i -> map.put(key.apply(i), i));
    return map;
  }

  public boolean empty() {
    return settings.isEmpty() && categories.values().stream().allMatch(Category::empty);
  }

  /** E.g. "+1 adlist, −1 domain, 2 settings"; "no changes" when there are none. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    Map<String, String> nouns = Map.of("groups", "group", "adlists", "adlist", "domains", "domain", "clients", "client",
        "dnsRecords", "local DNS record", "cnames", "CNAME");
    categories.forEach((name, c) -> {
      String noun = nouns.get(name);
      if (!c.added().isEmpty()) {
        parts.add("+" + count(c.added().size(), noun));
      }
      if (!c.removed().isEmpty()) {
        parts.add("\u2212" + count(c.removed().size(), noun));
      }
      if (!c.changed().isEmpty()) {
        parts.add(count(c.changed().size(), noun) + " changed");
      }
    });
    if (!settings.isEmpty()) {
      parts.add(count(settings.size(), "setting"));
    }
    return parts.isEmpty() ? "no changes" : String.join(", ", parts);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
