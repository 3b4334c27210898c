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
 *
 * @param listsNotCompared why the groups, adlists, domains and clients were not compared (a side holds no gravity.db: its lists
 *     are unknown, not removed), and then {@code categories} holds none of them; null when they were compared
 */
public record ContentDiff(Map<String, Category> categories, List<SettingChange> settings, List<OtherEntry> otherEntries,
                          String listsNotCompared) {

  /** Lists and settings only; {@link #withOtherEntries} adds what else differs. */
  public ContentDiff(Map<String, Category> categories, List<SettingChange> settings) {
    this(categories, settings, List.of());
  }

  public ContentDiff(Map<String, Category> categories, List<SettingChange> settings, List<OtherEntry> otherEntries) {
    this(categories, settings, otherEntries, null);
  }

  /** The same diff naming the other archive entries that differ. */
  public ContentDiff withOtherEntries(List<OtherEntry> entries) {
    return new ContentDiff(categories, settings, List.copyOf(entries), listsNotCompared);
  }

  /**
   * The same diff without the groups, adlists, domains and clients, which were not compared: each side named in
   * {@code withoutGravityDb} ("backup 7") holds no gravity.db, so what it lacks of them is unknown, never "removed".
   */
  public ContentDiff withoutLists(List<String> withoutGravityDb) {
    Map<String, Category> rest = new LinkedHashMap<>(categories);
    rest.keySet().removeAll(GRAVITY_CATEGORIES);
    return new ContentDiff(rest, settings, otherEntries, listsNotCompared(withoutGravityDb));
  }

  /** Why lists are not compared, each side without gravity.db named: "backup 7 holds no gravity.db (…): …". */
  public static String listsNotCompared(List<String> withoutGravityDb) {
    return withoutGravityDb.stream().map(side -> side + " " + NO_GRAVITY_DB).collect(java.util.stream.Collectors.joining("; "))
        + ": their differences are not known, so they are not compared";
  }

  /**
   * Items are the categories' natural keys (an adlist's address, a domain with its kind, …), in
   * {@link NaturalOrder}; {@code added}, {@code removed} and {@code changed} hold at most the first
   * items, the totals count all, and {@code next} has the cursor of the items after the first of each change;
   * {@code fields} says per item of {@code changed} which of its fields differ ("~ deny exact d-7.test" alone did not).
   */
  public record Category(List<String> added, List<String> removed, List<String> changed, long addedTotal, long removedTotal,
                         long changedTotal, Next next, Map<String, List<FieldChange>> fields) {
    public static final Category NONE = new Category(List.of(), List.of(), List.of(), 0, 0, 0, Next.NONE);

    /** Without the fields of the changed items: local DNS lines are only added or removed. */
    public Category(List<String> added, List<String> removed, List<String> changed, long addedTotal, long removedTotal, long changedTotal,
                    Next next) {
      this(added, removed, changed, addedTotal, removedTotal, changedTotal, next, Map.of());
    }

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
    for (LocalDnsList list : LocalDnsList.values()) {
      categories.put(list.id(), compare(list, list.of(before), list.of(after), first));
    }
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

  /** Nothing differs at all: "no changes" must never hide an archive entry that differs, nor lists that were not compared. */
  public boolean empty() {
    return listsAndSettingsEmpty() && otherEntries.isEmpty() && listsNotCompared == null;
  }

  private boolean listsAndSettingsEmpty() {
    return settings.isEmpty() && categories.values().stream().allMatch(Category::empty);
  }

  public static final String NO_CHANGES = "no changes";

  /** E.g. "+1 adlist, −1 domain, 2FA enabled, 2 settings"; "no changes" when there are none. */
  public String summary() {
    List<String> parts = changes(List.of());
    if (listsNotCompared != null) {
      parts.add(0, listsNotCompared);
    }
    if (parts.isEmpty() && !otherEntries.isEmpty()) {
      return "no list or setting changes; other archive content differs: " + OtherEntry.described(otherEntries);
    }
    return joined(parts);
  }

  /**
   * {@link #summary()} of an archive that holds no gravity.db: its groups, adlists, domains and clients are not in it, so
   * their differences are not losses and are not counted; the line says the file is missing instead.
   */
  public String summaryWithoutGravityDb() {
    List<String> parts = new ArrayList<>(List.of(NO_GRAVITY_DB));
    parts.addAll(changes(GRAVITY_CATEGORIES));
    return joined(parts);
  }

  /** What a change line says of an archive without gravity.db. */
  public static final String NO_GRAVITY_DB = "holds no gravity.db (its groups, adlists, domains and clients are not in it)";
  private static final List<String> GRAVITY_CATEGORIES = List.of("groups", "adlists", "domains", "clients");

  /** The counted changes of the lists (but {@code leftOut}) and of the settings, in the order the pages show them. */
  private List<String> changes(List<String> leftOut) {
    List<String> parts = new ArrayList<>();
    Map<String, String> nouns = Map.of("groups", "group", "adlists", "adlist", "domains", "domain", "clients", "client",
        "dnsRecords", "local DNS record", "cnames", "CNAME");
    categories.forEach((name, c) -> {
      if (leftOut.contains(name)) {
        return;
      }
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
    return parts;
  }

  private String joined(List<String> parts) {
    if (!otherEntries.isEmpty()) {
      parts.add(OtherEntry.described(otherEntries));
    }
    return parts.isEmpty() ? NO_CHANGES : String.join(", ", parts);
  }

  /** Grouped as the pages group counts: "+199,903 domains". */
  private static String count(long n, String noun) {
    return String.format(java.util.Locale.ROOT, "%,d", n) + " " + noun + (n == 1 ? "" : "s");
  }
}
