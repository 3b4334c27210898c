package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ContentDiff;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The summary of what a new archive changed, which a backup's and an import's record alike carry. */
public final class ChangeSummary {
  private static final Logger log = LoggerFactory.getLogger(ChangeSummary.class);
  private final ArchiveStore archives;
  private final ArchiveReader reader;

  public ChangeSummary(ArchiveStore archives, ArchiveReader reader) {
    this.archives = archives;
    this.reader = reader;
  }

  /** What a summary says when the archives differ only outside their lists and settings (etc/hosts, pihole.toml's comments). */
  static final String OTHER_CHANGES = "no list or setting changes; other archive content differs";

  /**
   * "+1 adlist, 2FA enabled, 2 settings" against the newest good backup of {@code compared}, "… since backup N" when that is not
   * the backup just before it in the history (suspicious ones or uploads lie between: the "unchanged" badge compares neighbours;
   * the text must not contradict it); null when there is none or it cannot be read. An archive equal to the newest of
   * {@code compared} is "no changes", flagged or not: a Pi-hole that really is in that state now must not be told of the same
   * loss at every backup.
   *
   * @param recentNewestFirst the history's newest backups, the first of them the one just before this
   * @param compared those of them this archive is judged against, newest first (for a download, those taken from the Pi-hole)
   */
  String since(List<Backup> recentNewestFirst, List<Backup> compared, ArchiveStore.Incoming incoming) {
    Backup previous = recentNewestFirst.isEmpty() ? null : recentNewestFirst.get(0);
    if (!compared.isEmpty() && java.util.Objects.equals(compared.get(0).archive().contentHash(), incoming.inspection().contentHash())) {
      return naming(ContentDiff.NO_CHANGES, compared.get(0), previous);
    }
    Optional<Backup> good = compared.stream().filter(b -> !b.suspicious()).findFirst();
    return good.map(g -> naming(since(g, incoming), g, previous)).orElse(null);
  }

  private static String naming(String summary, Backup compared, Backup previous) {
    return summary == null || compared.id() == previous.id() ? summary : summary + " since backup " + compared.id();
  }

  private String since(Backup previous, ArchiveStore.Incoming incoming) {
    if (previous.archive().contentHash().equals(incoming.inspection().contentHash())) {
      return ContentDiff.NO_CHANGES;
    }
    // Counts only: a scheduled backup of a Pi-hole with a million domains must not hold them in the heap.
    try (ArchiveStore.PlainArchive older = archives.open(previous.archive().fileName())) {
      ContentDiff diff = reader.diff(older.path(), incoming.path(), 0);
      // without gravity.db the lists are unknown, not removed: "−300,003 domains" would report a loss the archive does not show
      String summary = incoming.inspection().hasLists() ? diff.summary() : diff.summaryWithoutGravityDb();
      // the content hashes differ (the row gets no "unchanged" badge), so "no changes" would contradict it
      return summary.equals(ContentDiff.NO_CHANGES) ? OTHER_CHANGES : summary;
    } catch (IOException | RuntimeException e) {
      log.debug("No change summary for the new backup: {}", e.getMessage());
      return null;
    }
  }
}
