package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replica lacks to be like its primary, limited to its group's mode and exclusions, and
 * what would be sent to it: the lists (by a gravity-only import) only if one of them differs,
 * local DNS and settings key by key, only those that differ.
 *
 * @param diff from the replica now to the state intended for it
 * @param dnsRecords the replica's new local DNS records, or null when they stay
 * @param cnames its new CNAMEs, or null when they stay
 * @param settings key → JSON value of each setting to change
 * @param skipped why a run leaves this replica alone (it or the primary is switched off) or a preview could not look at it, or null;
 *     then nothing else is known
 * @param warning why a run that sends something to this replica would be refused, with the fix (an app password without
 *     {@code webserver.api.app_sudo}), or null
 */
public record ReplicaPlan(ContentDiff diff, boolean lists, List<String> dnsRecords, List<String> cnames, Map<String, String> settings,
                          String skipped, String warning) {
  private static final String NOT_COMPARED = "not looked at";
  private static final String UNSEEN = NOT_COMPARED + ": ";

  static final String DNS_RECORDS = "dns.hosts";
  static final String CNAMES = "dns.cnameRecords";

  /**
   * @param lists the list changes from the replica's export to the primary's archive
   * @param replica the replica's settings now
   * @param primary the settings of the primary's archive
   */
  static ReplicaPlan of(Map<ListCategory, ContentDiff.Category> lists, ArchiveSettings replica, ArchiveSettings primary, SyncGroup group, int first) {
    ArchiveSettings intended = intended(replica, primary, group);
    ContentDiff diff = ContentDiff.of(lists, replica, intended, first);
    boolean listsDiffer = lists.values().stream().anyMatch(c -> c.addedTotal() + c.removedTotal() + c.changedTotal() > 0);
    Map<String, String> settings = new LinkedHashMap<>();
    diff.settings().stream().filter(s -> !s.secret() && s.after() != null).forEach(s -> settings.put(s.key(), s.after()));
    return new ReplicaPlan(diff, listsDiffer, differing(replica.dnsRecords(), intended.dnsRecords()), differing(replica.cnames(), intended.cnames()),
        settings, null, null);
  }

  /** The same plan, with what a run of it would run into. */
  ReplicaPlan warning(String why) {
    return new ReplicaPlan(diff, lists, dnsRecords, cnames, settings, skipped, why);
  }

  /** A replica a run leaves alone, not contacted: nothing would be sent. */
  static ReplicaPlan skipped(String why) {
    return new ReplicaPlan(new ContentDiff(Map.of(), List.of()), false, null, null, Map.of(), why, null);
  }

  /** A replica a preview could not look at (unreachable, busy): the others are still previewed. */
  static ReplicaPlan unseen(String why) {
    return skipped(UNSEEN + why);
  }

  /** Whether this is a replica a preview could not look at, rather than one switched off. */
  public boolean unseen() {
    return skipped != null && skipped.startsWith(UNSEEN);
  }

  /**
   * What differs, in a few words: "no changes" only for a replica compared and found equal; one
   * that was not compared (unreachable, switched off) is "not looked at", for nothing is known of it.
   */
  public String summary() {
    return skipped != null ? NOT_COMPARED : diff.summary();
  }

  /** Nothing to send: no import, no change, no restart. */
  public boolean empty() {
    return !lists && dnsRecords == null && cnames == null && settings.isEmpty();
  }

  /** What this plan (made after the changes were sent) still finds different, but for the keys the replica refused. */
  List<String> remaining(List<String> refused) {
    List<String> left = new ArrayList<>();
    if (lists) {
      left.add("lists: " + new ContentDiff(listsOnly(), List.of()).summary());
    }
    if (dnsRecords != null && refused.stream().noneMatch(r -> r.startsWith(DNS_RECORDS + ":"))) {
      left.add("local DNS records");
    }
    if (cnames != null && refused.stream().noneMatch(r -> r.startsWith(CNAMES + ":"))) {
      left.add("CNAMEs");
    }
    settings.keySet().stream().filter(k -> refused.stream().noneMatch(r -> r.startsWith(k + ":"))).forEach(k -> left.add("setting " + k));
    return left;
  }

  private Map<String, ContentDiff.Category> listsOnly() {
    Map<String, ContentDiff.Category> lists = new LinkedHashMap<>();
    for (ListCategory c : ListCategory.values()) {
      lists.put(c.id(), diff.categories().getOrDefault(c.id(), ContentDiff.Category.NONE));
    }
    return lists;
  }

  /** The replica as it should be: its own settings and identity, with what the mode copies from the primary. */
  static ArchiveSettings intended(ArchiveSettings replica, ArchiveSettings primary, SyncGroup group) {
    RestoreParts parts = RestoreParts.of(group.mode(), null);
    Map<String, String> settings = new TreeMap<>(replica.settings());
    if (parts.settings()) {
      primary.settings().forEach((key, value) -> {
        if (!SyncRules.neverSynced(key) && !excluded(key, group)) {
          settings.put(key, value);
        }
      });
    }
    // local DNS is copied as records, not as settings, but an exclusion of its key (or of dns) covers it all the same
    List<String> dns = parts.localDns() && !excluded(DNS_RECORDS, group) ? merged(primary.dnsRecords(), replica.dnsRecords(), group.keepReplicaDns())
        : replica.dnsRecords();
    List<String> cnames = parts.localDns() && !excluded(CNAMES, group) ? merged(primary.cnames(), replica.cnames(), group.keepReplicaDns())
        : replica.cnames();
    return new ArchiveSettings(dns, cnames, settings, replica.changedSettings(), replica.secrets());
  }

  /**
   * An excluded key names a setting or a whole table of them ({@code dns.upstreams}, {@code dns}),
   * in any case: {@code dns.cnamerecords} meant the CNAMEs, and excluding one key too many is the safe way to be wrong.
   */
  private static boolean excluded(String key, SyncGroup group) {
    String k = key.toLowerCase(Locale.ROOT);
    return group.excludedSettings().stream().map(x -> x.toLowerCase(Locale.ROOT)).anyMatch(x -> k.equals(x) || k.startsWith(x + "."));
  }

  /** The primary's entries, then those only the replica has when they are kept. */
  private static List<String> merged(List<String> primary, List<String> replica, boolean keepReplicaOnly) {
    List<String> merged = new ArrayList<>(primary);
    if (keepReplicaOnly) {
      HashSet<String> seen = new HashSet<>(primary);
      replica.stream().filter(seen::add).forEach(merged::add);
    }
    return merged;
  }

  private static List<String> differing(List<String> now, List<String> intended) {
    return new HashSet<>(now).equals(new HashSet<>(intended)) ? null : List.copyOf(intended);
  }
}
