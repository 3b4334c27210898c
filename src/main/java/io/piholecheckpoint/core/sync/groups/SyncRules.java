package io.piholecheckpoint.core.sync.groups;

import io.piholecheckpoint.core.contents.ArchiveContents;
import java.util.List;
import java.util.Set;

/**
 * The settings a sync never copies, whatever the group says: what makes a Pi-hole itself (its
 * web server, passwords, 2FA, the interface and ports it listens on, its DHCP server, its files)
 * and not what it blocks. Copying them is what locks people out of replicas with other tools.
 */
public final class SyncRules {
  private static final List<String> HOST_TABLES = List.of("webserver.", "dhcp.", "files.", "ntp.", "dns.reply.host.", "debug.");
  private static final Set<String> HOST_KEYS = Set.of("dns.interface", "dns.listeningMode", "dns.port", "misc.privacylevel_locked", "dns.hosts", "dns.cnameRecords");

  private SyncRules() {
  }

  /** True for a key a sync never sends (local DNS is copied as records, not as a setting). */
  public static boolean neverSynced(String key) {
    return ArchiveContents.secret(key) || HOST_KEYS.contains(key) || HOST_TABLES.stream().anyMatch(key::startsWith);
  }
}
