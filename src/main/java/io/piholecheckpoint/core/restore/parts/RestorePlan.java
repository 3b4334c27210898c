package io.piholecheckpoint.core.restore.parts;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.gateway.ImportScope;
import io.piholecheckpoint.core.units.JsonText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What restoring the parts changes: the target's settings afterwards, what the import replaces, the settings sent one by one. */
public final class RestorePlan {
  private RestorePlan() {
  }

  /** The target's settings and local DNS once the parts are applied from the backup. */
  public static ArchiveSettings intended(ArchiveSettings live, ArchiveSettings backup, RestoreParts parts) {
    if (parts.identity()) {
      return backup;
    }
    Map<String, String> settings = new TreeMap<>(live.settings());
    if (parts.settings()) {
      backup.settings().forEach((key, value) -> {
        if (!RestoreParts.identityKey(key) && !ArchiveContents.secret(key)) {
          settings.put(key, value);
        }
      });
    }
    return new ArchiveSettings(parts.localDns() ? backup.dnsRecords() : live.dnsRecords(), parts.localDns() ? backup.cnames() : live.cnames(),
        settings, live.changedSettings(), live.secrets());
  }

  /**
   * What the import replaces: exactly the parts asked for. Only EXACT is a full import (the selector omitted); a custom restore
   * of identity imports the config alone, never the gravity tables or DHCP leases it did not tick (outsider 39).
   */
  public static ImportScope scope(RestoreMode mode, RestoreParts parts) {
    if (mode == RestoreMode.EXACT) {
      return ImportScope.EVERYTHING;
    }
    if (parts.identity()) {
      return parts.lists() ? ImportScope.LISTS_AND_CONFIG : ImportScope.CONFIG;
    }
    return ImportScope.LISTS;
  }

  /**
   * Local DNS and settings go through PATCH /api/config, one key at a time, so one refused key
   * does not stop the rest: these keys and values, in the order they are sent.
   */
  public static Map<String, String> settingSteps(ArchiveSettings before, ArchiveSettings intended, RestoreParts parts) {
    Map<String, String> steps = new LinkedHashMap<>();
    if (parts.localDns()) {
      steps.put("dns.hosts", JsonText.stringArray(intended.dnsRecords()));
      steps.put("dns.cnameRecords", JsonText.stringArray(intended.cnames()));
    }
    if (parts.settings()) {
      intended.settings().forEach((key, value) -> {
        // a secret is never sent: only its digest is known here, and identity (where all of them live) is restored by import
        if (!ArchiveContents.secret(key) && !value.equals(before.settings().get(key))) {
          steps.put(key, value);
        }
      });
    }
    return steps;
  }
}
