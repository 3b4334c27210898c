package io.piholecheckpoint.core.recovery.marks;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The backup an off-site manifest describes, treated as the install that sent it treated it: flagged suspicious (and why, in
 * its changes), accepted (recorded flagged, then accepted by the adoption) and taken as the manifest says (its trigger: an
 * upload stays IMPORTED, which never counts as a backup taken from the Pi-hole; a safety backup stays SAFETY). A manifest written before it said how its backup was judged is judged
 * again by README's integrity rule, against the newest earlier good backup of the instance: the adoption takes the copies in
 * the order of their keys, which is each instance's order in time, so an adopted wipe is never the baseline of what follows it.
 */
public final class AdoptedMarks {
  private AdoptedMarks() {
  }

  /**
   * Records the backup as its manifest says, or as judged again.
   *
   * @param trigger the manifest's ("imported", "scheduled", …), or null
   * @param suspicious the manifest's, or null when it does not say
   * @return the backup as recorded
   */
  public static Backup record(long instanceId, Archive archive, String trigger, Boolean suspicious, boolean accepted, Instant startedAt,
                              Instant finishedAt, BackupRepository backups) {
    Backup.Trigger kind = kind(trigger);
    boolean flagged;
    Archive judged = archive;
    if (suspicious != null) {
      flagged = suspicious || accepted;
    } else {
      // the records only, newest first, not their archives: bounded however long the adopted history is
      // a backup taken from the Pi-hole is judged against those alone, as a download is (BackupService): never against an upload
      List<Backup> earlier = backups.findSuccessful(instanceId).stream().filter(b -> b.finishedAt().isBefore(finishedAt))
          .filter(b -> kind == Backup.Trigger.IMPORTED || b.takenFromThePihole()).toList();
      Optional<String> why = Suspicion.ofCounts(earlier, archive.summary());
      flagged = why.isPresent();
      if (flagged && archive.changes() == null) {
        judged = archive.withChanges(why.get());
      }
    }
    Backup backup = backups.insert(Backup.succeeded(instanceId, kind, judged, flagged, startedAt, finishedAt));
    if (accepted) {
      backups.accept(backup.id()); // recorded flagged, then accepted as a person did there: the baseline it was
    }
    return backup;
  }

  /**
   * The trigger the manifest names (manual, scheduled, safety, imported, …), as the lost install recorded it: a safety backup
   * adopted as {@code offsite} no longer read as the one a restore took. {@code offsite} only for a manifest that names none,
   * or one this build does not know.
   */
  private static Backup.Trigger kind(String trigger) {
    return java.util.Arrays.stream(Backup.Trigger.values()).filter(t -> t.name().equalsIgnoreCase(String.valueOf(trigger))).findFirst()
        .orElse(Backup.Trigger.OFFSITE);
  }
}
