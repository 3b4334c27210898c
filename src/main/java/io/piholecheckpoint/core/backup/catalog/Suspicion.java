package io.piholecheckpoint.core.backup.catalog;

import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ContentSummary;
import java.util.List;
import java.util.Optional;

/**
 * Spots an archive that lost most of what the Pi-hole held before — a wiped or half-set-up
 * Pi-hole, not a change anybody wants backed up over the good copies — or that holds no lists at
 * all (no gravity.db). One rule for every archive that joins a history: downloaded, imported or
 * recovered (adopted without a record).
 */
public final class Suspicion {
  private static final int MEANINGFUL_ENTRIES = 4;

  private Suspicion() {
  }

  /**
   * Why the archive is flagged, if it is: compared with the newest earlier backup not flagged itself.
   *
   * @param earlierNewestFirst the instance's successful backups before this one
   */
  public static Optional<String> of(List<Backup> earlierNewestFirst, ArchiveInspector.Inspection inspection) {
    if (!inspection.hasLists()) {
      return Optional.of("holds no gravity.db, so none of the Pi-hole's groups, adlists, domains or clients");
    }
    return ofCounts(earlierNewestFirst, inspection.summary());
  }

  /**
   * {@link #of} for an archive known by its counts alone (adopted from an off-site manifest that does not say how it was judged):
   * whether it lost most of what the newest earlier good backup held. A missing gravity.db cannot be told from counts; its
   * counts are zeros, so it is flagged when an earlier good backup had lists.
   */
  public static Optional<String> ofCounts(List<Backup> earlierNewestFirst, ContentSummary summary) {
    return earlierNewestFirst.stream().filter(b -> !b.suspicious()).findFirst()
        .filter(good -> lostMostContent(good.archive().summary(), summary))
        .map(good -> "holds much less than backup " + good.id() + " (" + summary.describe() + ")");
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
