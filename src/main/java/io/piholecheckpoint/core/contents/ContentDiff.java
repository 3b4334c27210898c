package io.piholecheckpoint.core.contents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
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
   * Items are the categories' natural keys (an adlist's address, a domain with its kind, …), in
   * {@link NaturalOrder}; {@code added}, {@code removed} and {@code changed} hold at most the first
   * items, the totals count all, and {@code next} has the cursor of the items after the first of each change.
   */
  public record Category(List<String> added, List<String> removed, List<String> changed, long addedTotal, long removedTotal,
                         long changedTotal, Next next) {
    public static final Category NONE = new Category(List.of(), List.of(), List.of(), 0, 0, 0, Next.NONE);

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

    /** How many changes of this kind are not among the items listed. */
    public long more(Change change) {
      return total(change) - items(change).size();
    }

    public long total(Change change) {
      return switch (change) {
        case ADDED -> addedTotal;
        case REMOVED -> removedTotal;
        case CHANGED -> changedTotal;
      };
    }
  }

  /** Per change, the cursor of the page after the first items; null where they are all listed. */
  public record Next(String added, String removed, String changed) {
    public static final Next NONE = new Next(null, null, null);

    public String of(Change change) {
      return switch (change) {
        case ADDED -> added;
        case REMOVED -> removed;
        case CHANGED -> changed;
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
    for (LocalDnsList list : LocalDnsList.values()) {
      categories.put(list.id(), compare(list, list.of(before), list.of(after), first));
    }
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
  private static Category compare(LocalDnsList list, List<String> before, List<String> after, int first) {
    Page<String> added = TextPages.page(changes(before, after, Change.ADDED), list.scope(Change.ADDED), null, first);
    Page<String> removed = TextPages.page(changes(before, after, Change.REMOVED), list.scope(Change.REMOVED), null, first);
    return new Category(added.items(), removed.items(), List.of(), added.total(), removed.total(), 0,
        new Next(added.next(), removed.next(), null));
  }

  /** The lines of one change between two local DNS lists, in {@link NaturalOrder}. */
  public static List<String> changes(List<String> before, List<String> after, Change change) {
    Set<String> old = new HashSet<>(before);
    Set<String> now = new HashSet<>(after);
    return switch (change) {
      case ADDED -> TextPages.sorted(now.stream().filter(k -> !old.contains(k)).toList());
      case REMOVED -> TextPages.sorted(old.stream().filter(k -> !now.contains(k)).toList());
      case CHANGED -> List.of();
    };
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
