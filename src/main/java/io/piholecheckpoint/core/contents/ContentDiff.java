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

  /**
   * A secret's {@code before} and {@code after} are only {@value ArchiveContents#MASK},
   * {@value ArchiveContents#UNSET} or {@value ArchiveContents#CHANGED}, and its {@code note} says what
   * changed ("2FA enabled"); other settings have no note.
   */
  public record SettingChange(String key, String before, String after, String note) {
    public SettingChange(String key, String before, String after) {
      this(key, before, after, null);
    }

    public boolean secret() {
      return note != null;
    }
  }

  /** The lists as compared by an {@link ArchiveReader}, the small pihole.toml parts compared here. */
  public static ContentDiff of(Map<ListCategory, Category> lists, ArchiveSettings before, ArchiveSettings after, int first) {
    Map<String, Category> categories = new LinkedHashMap<>();
    for (ListCategory list : ListCategory.values()) {
      categories.put(list.id(), lists.getOrDefault(list, Category.NONE));
    }
    categories.put("dnsRecords", compare(before.dnsRecords(), after.dnsRecords(), first));
    categories.put("cnames", compare(before.cnames(), after.cnames(), first));
    return new ContentDiff(categories, settings(before, after));
  }

  /** Secrets are compared by their digests (their values were masked before they got here) and shown only as a note. */
  private static List<SettingChange> settings(ArchiveSettings before, ArchiveSettings after) {
    List<SettingChange> settings = new ArrayList<>();
    Set<String> keys = new TreeSet<>(before.settings().keySet());
    keys.addAll(after.settings().keySet());
    for (String key : keys) {
      if (ArchiveContents.secret(key)) {
        if (!before.secrets().same(key, after.secrets())) {
          settings.add(secretChange(key, before.secrets().set(key), after.secrets().set(key)));
        }
      } else if (!Objects.equals(before.settings().get(key), after.settings().get(key))) {
        settings.add(new SettingChange(key, before.settings().get(key), after.settings().get(key)));
      }
    }
    return settings;
  }

  private static SettingChange secretChange(String key, boolean wasSet, boolean isSet) {
    String old = wasSet ? ArchiveContents.MASK : ArchiveContents.UNSET;
    String now = !isSet ? ArchiveContents.UNSET : wasSet ? ArchiveContents.CHANGED : ArchiveContents.MASK;
    return new SettingChange(key, old, now, SecretLabel.of(key, wasSet, isSet));
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

  public static final String NO_CHANGES = "no changes";

  /** E.g. "+1 adlist, −1 domain, 2FA enabled, 2 settings"; "no changes" when there are none. */
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
    settings.stream().filter(SettingChange::secret).map(SettingChange::note).distinct().forEach(parts::add);
    long others = settings.stream().filter(s -> !s.secret()).count();
    if (others > 0) {
      parts.add(count(others, "setting"));
    }
    return parts.isEmpty() ? NO_CHANGES : String.join(", ", parts);
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
