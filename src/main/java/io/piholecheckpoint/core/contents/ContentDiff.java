package io.piholecheckpoint.core.contents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Added, removed and changed items per category between two archives, and the settings whose
 * value changed (old → new; secrets only as "changed"). Lists carry only their first items and
 * the totals: a diff of two million-domain archives stays small.
 */
public record ContentDiff(Map<String, Category> categories, List<SettingChange> settings) {

  /**
   * Items are the categories' natural keys (an adlist's address, a domain with its kind, …);
   * {@code added}, {@code removed} and {@code changed} hold at most the first items, the totals count all.
   */
  public record Category(List<String> added, List<String> removed, List<String> changed, long addedTotal, long removedTotal,
                         long changedTotal) {
    public static final Category NONE = new Category(List.of(), List.of(), List.of(), 0, 0, 0);

    boolean empty() {
      return addedTotal == 0 && removedTotal == 0 && changedTotal == 0;
    }

    /** True when some changes are not among the items listed. */
    public boolean truncated() {
      return addedTotal > added.size() || removedTotal > removed.size() || changedTotal > changed.size();
    }

    public List<String> items(Change change) {
      return switch (change) {
        case ADDED -> added;
        case REMOVED -> removed;
        case CHANGED -> changed;
      };
    }

    public long total(Change change) {
      return switch (change) {
        case ADDED -> addedTotal;
        case REMOVED -> removedTotal;
        case CHANGED -> changedTotal;
      };
    }
  }

  public record SettingChange(String key, String before, String after) {
  }

  /** The lists as compared by an {@link ArchiveReader}, the small pihole.toml parts compared here. */
  public static ContentDiff of(Map<ListCategory, Category> lists, ArchiveSettings before, ArchiveSettings after, int first) {
    Map<String, Category> categories = new LinkedHashMap<>();
    for (ListCategory list : ListCategory.values()) {
      categories.put(list.id(), lists.getOrDefault(list, Category.NONE));
    }
    categories.put("dnsRecords", compare(before.dnsRecords(), after.dnsRecords(), first));
    categories.put("cnames", compare(before.cnames(), after.cnames(), first));
    return new ContentDiff(categories, settings(before.settings(), after.settings()));
  }

  private static List<SettingChange> settings(Map<String, String> before, Map<String, String> after) {
    List<SettingChange> settings = new ArrayList<>();
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      String old = before.get(key);
      String now = after.get(key);
      if (!Objects.equals(old, now)) {
        boolean secret = ArchiveContents.secret(key);
        settings.add(new SettingChange(key, secret ? "(changed)" : old, secret ? "(changed)" : now));
      }
    }
    return settings;
  }

  /** Local DNS entries are whole lines: they are added or removed, never changed. */
  private static Category compare(List<String> before, List<String> after, int first) {
    Set<String> old = new LinkedHashSet<>(before);
    Set<String> now = new LinkedHashSet<>(after);
    List<String> added = now.stream().filter(k -> !old.contains(k)).toList();
    List<String> removed = old.stream().filter(k -> !now.contains(k)).toList();
    return new Category(head(added, first), head(removed, first), List.of(), added.size(), removed.size(), 0);
  }

  private static List<String> head(List<String> items, int first) {
    return List.copyOf(items.subList(0, Math.min(first, items.size())));
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
      if (c.addedTotal() > 0) {
        parts.add("+" + count(c.addedTotal(), noun));
      }
      if (c.removedTotal() > 0) {
        parts.add("\u2212" + count(c.removedTotal(), noun));
      }
      if (c.changedTotal() > 0) {
        parts.add(count(c.changedTotal(), noun) + " changed");
      }
    });
    if (!settings.isEmpty()) {
      parts.add(count(settings.size(), "setting"));
    }
    return parts.isEmpty() ? "no changes" : String.join(", ", parts);
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
