package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.InstanceDefaults;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** What of the original's history is already in our database: what makes an import idempotent and restartable. */
public interface ImportLedger {

  /**
   * @param finishedAt null while the import is unfinished (cut short: the next run completes it)
   * @param records backup records imported; {@code skipped} those that could not be
   */
  record Summary(String source, Instant startedAt, Instant finishedAt, int instances, int records, int skipped, String note) {
    public boolean finished() {
      return finishedAt != null;
    }
  }

  /** One original record looked at: the backup it became, or null and why it was skipped. */
  record Entry(long originalId, Backup backup, SkipReason skipped) {
    static Entry imported(long originalId, Backup backup) {
      return new Entry(originalId, backup, null);
    }

    static Entry skipped(long originalId, SkipReason reason) {
      return new Entry(originalId, null, reason);
    }
  }

  Optional<Summary> find();

  /** Whether an import finished: asked at every start of the migration step, so it must cost next to nothing. */
  boolean finished();

  /** Records that an import of {@code source} has begun, unless one has. */
  void start(String source, Instant at);

  /** The highest original record id looked at, empty when none (the original's ids may be 0 or below). */
  OptionalLong lastRecordId();

  /** How many records were skipped for each reason, most first. */
  Map<SkipReason, Long> skippedByReason();

  /** The instance of ours an original instance became, if it was linked. */
  Optional<Long> instanceOf(long originalId);

  void link(long originalId, long instanceId, String envPrefix, InstanceDefaults defaults);

  /** Whether a backup of ours already has this file name. */
  boolean fileNameTaken(String fileName);

  /** The backups and the ids of the records looked at, in one transaction; returns each entry's backup as stored (with its id), or null. */
  List<Backup> write(List<Entry> batch);

  /** Marks the import done; the counts are taken from what was written, so a resumed import counts right. */
  Summary finish(Instant at, String note);

  /** The original's schedule and retention of each instance carried over that has an environment prefix. */
  Map<String, InstanceDefaults> defaultsByPrefix();
}
