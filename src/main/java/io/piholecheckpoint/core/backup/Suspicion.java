package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.ContentSummary;

/**
 * Spots an archive that lost most of what the Pi-hole held before — a wiped or half-set-up
 * Pi-hole, not a change anybody wants backed up over the good copies.
 */
final class Suspicion {
  private static final int MEANINGFUL_ENTRIES = 4;

  private Suspicion() {
  }

  static boolean lostMostContent(ContentSummary before, ContentSummary after) {
    if (before == null || after == null) {
      return false;
    }
    boolean halved = before.listEntries() >= MEANINGFUL_ENTRIES && after.listEntries() * 2 < before.listEntries();
    boolean adlistsGone = before.adlists() > 0 && after.adlists() == 0;
    return halved || adlistsGone;
  }
}
