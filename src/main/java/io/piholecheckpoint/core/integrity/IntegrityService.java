package io.piholecheckpoint.core.integrity;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.StoredArchives;
import io.piholecheckpoint.core.archive.UnsoundFiles;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Slugs;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the records and the backup directory honest with each other: re-checks archives on
 * disk, marks records whose file vanished, and adopts archives of ours that lost their record.
 * It reports problems and never deletes anything.
 */
public class IntegrityService {
  private static final Logger log = LoggerFactory.getLogger(IntegrityService.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** The outcome of re-checking one backup's file. */
  public record Verification(long backupId, boolean ok, String problem) {
  }

  /**
   * What reconciliation changed.
   *
   * @param remoteOnly files found gone whose backup is kept at a destination (fetched back when opened), not counted as missing
   */
  public record Reconciliation(int adopted, int missing, int found, int remoteOnly) {
  }

  private final InstanceService instances;
  private final BackupRepository backups;
  private final ArchiveStore archives;

  private final Events events;
  private volatile List<String> unsound = List.of();
  private final KeptElsewhere elsewhere;

  public IntegrityService(InstanceService instances, BackupRepository backups, ArchiveStore archives, Events events) {
    this(instances, backups, archives, events, KeptElsewhere.NOWHERE);
  }

  /** @param elsewhere where a file that is not on this disk is kept instead: its backup is remote only, not missing nor damaged */
  public IntegrityService(InstanceService instances, BackupRepository backups, ArchiveStore archives, Events events, KeptElsewhere elsewhere) {
    this.events = events;
    this.elsewhere = elsewhere;
    this.instances = instances;
    this.backups = backups;
    this.archives = archives;
  }

  /**
   * Re-hashes the file against its record and re-inspects it; records the outcome. A backup kept
   * remote only is checked at its destination (size and SHA-256 read back): a copy found changed
   * there fails the check with the archive store's answer, which every reader of it gets too.
   */
  public Verification verify(long backupId) {
    return verify(backupId, true);
  }

  /**
   * @param remoteToo whether a remote only backup's copy is read back now; the daily round leaves that to the off-site
   *     re-check, and counts the backup sound while a copy is verified (opening it checks the bytes again before they are used)
   */
  private Verification verify(long backupId, boolean remoteToo) {
    Backup backup = backups.findById(backupId).orElseThrow(() -> new BackupNotFoundException("no backup with id " + backupId));
    if (!backup.successful()) {
      throw new BackupConflictException("backup " + backupId + " failed and has no archive to verify");
    }
    boolean remoteOnly = archives.find(backup.fileName()).isEmpty() && elsewhere.keptAt(backupId).isPresent();
    Optional<String> problem;
    try {
      problem = remoteOnly && !remoteToo ? Optional.empty() : archives.verify(backup.archive());
    } catch (ArchiveStorageException e) {
      if (remoteToo) {
        throw e; // the reader is told why it cannot be checked now
      }
      // a round over every backup goes on: one that cannot be read now is not found damaged, and its record stays as it was
      log.warn("Backup {} ({}) could not be checked now: {} — it is checked again in the next round", backupId, backup.fileName(), e.getMessage());
      return new Verification(backupId, false, e.getMessage());
    }
    // read after the check: a check of a remote only backup that found a copy damaged fetches the archive back from a sound one
    boolean here = archives.find(backup.fileName()).isPresent();
    if (remoteOnly && !here && problem.isEmpty()) {
      backups.setFileMissing(backupId, true);
      backups.setVerifyError(backupId, null);
      return new Verification(backupId, true, null);
    }
    backups.setFileMissing(backupId, !here);
    backups.setVerifyError(backupId, problem.orElse(null));
    if (here && problem.isEmpty()) {
      elsewhere.archiveHere(backupId);
      if (remoteOnly) {
        elsewhere.fetchedBack(backupId);
      }
    }
    problem.ifPresent(p -> {
      log.warn("Backup {} ({}) failed its check: {} — it is kept; restore from another backup", backupId, backup.fileName(), p);
      events.archiveProblem(instances.find(backup.instanceId()), backup, p);
    });
    return new Verification(backupId, problem.isEmpty(), problem.orElse(null));
  }

  /** Re-checks every successful backup; for the daily maintenance. */
  public List<Verification> verifyAll() {
    return backups.findAllSuccessful().stream().map(b -> verify(b.id(), false)).toList();
  }

  /**
   * The files in BACKUP_DIR named as an instance's archives, with no record, that are no sound archive (cut short, not a zip):
   * left alone, and shown in /health, as the last reconcile (each start, each daily maintenance) found them; by name.
   */
  public List<String> unsoundFiles() {
    return unsound;
  }

  /**
   * Marks records whose file is gone as missing (and, when it is back, checks it as {@link #verify} does: the record is
   * corrected, and copies given up without it are sent again), and
   * adopts files of ours that have no record as RECOVERED backups of the instance their name
   * belongs to. Other files are left alone.
   */
  public Reconciliation reconcile() throws IOException {
    List<Backup> recorded = backups.findAllSuccessful();
    Set<String> present = Set.copyOf(archives.fileNames());
    int missing = 0;
    int found = 0;
    int remoteOnly = 0;
    Set<Long> givenUp = elsewhere.givenUpWithoutArchive();
    for (Backup b : recorded) {
      boolean gone = !present.contains(b.fileName());
      // a file put back before any pass marked it missing (a fetch back found it gone and gave its copies up) is put back all the same
      boolean putBack = !gone && givenUp.contains(b.id());
      if (!gone && !b.fileMissing() && WrongPassphraseException.said(b.verifyError())) {
        recheckUnopened(b);
        continue;
      }
      if (gone == b.fileMissing() && !putBack) {
        continue;
      }
      if (!gone) {
        // put back: checked as a verify checks it, so that the record says what the file is and the off-site copies given up
        // for want of it are sent again, without waiting for someone to press Verify
        verify(b.id(), false);
        found++;
        continue;
      }
      backups.setFileMissing(b.id(), true);
      Optional<String> kept = elsewhere.keptAt(b.id());
      if (kept.isPresent()) {
        remoteOnly++;
        log.info("The archive of backup {} ({}) is not in {}: the backup is kept remote only, on {}, and fetched back from there when opened",
            b.id(), b.fileName(), archives.directory(), kept.get());
      } else {
        missing++;
        log.warn("The archive of backup {} ({}) is missing from {}; its record stays, marked missing", b.id(), b.fileName(), archives.directory());
      }
    }
    Set<String> known = recorded.stream().map(Backup::fileName).collect(Collectors.toSet());
    int adopted = 0;
    List<String> notSound = new ArrayList<>();
    // read once, not per file: a directory of thousands of stray files took seconds of the start to list the instances again
    List<PiholeInstance> owners = instances.list();
    Set<String> recordedOtherwise = backups.unsuccessfulFileNames();
    for (String name : present) {
      if (!known.contains(name) && adopt(name, owners, recordedOtherwise.contains(name), notSound)) {
        adopted++;
      }
    }
    unsound = notSound.stream().sorted().toList();
    if (!unsound.isEmpty()) {
      // one line however many: a line per file buried the rest of the start's log
      log.warn("{} file(s) in {} have no record and are no sound archive (cut short, or not a zip); left alone: {}", unsound.size(),
          archives.directory(), UnsoundFiles.of(unsound).describe());
    }
    return new Reconciliation(adopted, missing, found, remoteOnly);
  }

  /**
   * A backup marked damaged only because the passphrase set then did not open it: checked again, so that the mark clears
   * once it opens (it counted in /health's damaged files), and stays as it was while the passphrase is still not the one.
   */
  private void recheckUnopened(Backup b) {
    if (verify(b.id(), false).ok()) {
      log.info("Backup {} ({}) was marked damaged when the passphrase set then did not open it; it opens and checks sound now: mark cleared",
          b.id(), b.fileName());
    }
  }

  /**
   * @param known the instances, one of which may own the file
   * @param recorded whether a record that is not a successful backup names the file
   * @param notSound where a file of ours that is no sound archive is added
   */
  private boolean adopt(String fileName, List<PiholeInstance> known, boolean recorded, List<String> notSound) {
    Optional<String> slug = ArchiveFiles.slugOf(fileName);
    if (slug.isEmpty()) {
      log.info("{} is an archive of Pi-hole Checkpoint 1.x that its imported history does not list; left alone", fileName);
      return false;
    }
    Optional<Backup> named = recorded ? backups.findByFileName(fileName) : Optional.empty();
    if (named.isPresent()) {
      // names are unique: a record that is not a success (a failed run's, a hand-edited status) still owns it, and a second
      // insert would fail the start at every try
      log.warn("{} is in the backup directory, but backup {} (status {}) names it and is not a successful backup: left alone;"
          + " look at that backup in the history, and delete it or the file", fileName, named.get().id(), named.get().status());
      return false;
    }
    Optional<PiholeInstance> owner = known.stream().filter(i -> i.slug().equals(slug.get())).findFirst();
    if (owner.isEmpty()) {
      log.info("{} in the backup directory belongs to no known instance; left alone", fileName);
      return false;
    }
    List<String> alsoNamed = known.stream().filter(i -> i.id() != owner.get().id() && Slugs.of(i.name()).equals(slug.get()))
        .map(PiholeInstance::name).toList();
    if (!alsoNamed.isEmpty()) {
      // a build before each instance had a folder of its own named the files of every name with this slug so: whose it is is not
      // known, and joining the wrong history would let that instance's retention delete another's backup
      log.warn("{} in the backup directory could be the backup of '{}' or of {} (builds before 20261214010000 named their archives"
          + " alike); left alone: import it into the right one", fileName, LogText.of(owner.get().name()),
          alsoNamed.stream().map(n -> "'" + LogText.escape(n) + "'").collect(Collectors.joining(", ")));
      return false;
    }
    try {
      StoredArchives.Examined examined = StoredArchives.examine(archives, fileName);
      Instant at = takenAt(fileName);
      // the rule every archive that joins a history meets, against the backups before it (one older than all of them was judged
      // against a backup taken days after it): flagged, it never becomes the good copy others are compared with, and having no
      // change line of its own, its row says against which backup it lost, as an adopted off-site copy's does
      List<Backup> earlier = backups.findSuccessful(owner.get().id()).stream().filter(b -> b.finishedAt().isBefore(at)).toList();
      Optional<String> suspicion = Suspicion.of(earlier, examined.inspection());
      Archive judged = suspicion.isPresent() && examined.archive().changes() == null ? examined.archive().withChanges(suspicion.get()) : examined.archive();
      Backup adopted = backups.insert(Backup.succeeded(owner.get().id(), Backup.Trigger.RECOVERED, judged, suspicion.isPresent(), at, at));
      log.info("Adopted {} as backup {} of '{}': it had no record{}", fileName, adopted.id(), owner.get().name(),
          suspicion.map(why -> "; it " + why + ", so it is flagged suspicious").orElse(""));
      return true;
    } catch (InvalidArchiveException | ArchiveStorageException | IOException e) {
      log.debug("{} has no record and is not a sound archive ({}); left alone", fileName, e.getMessage());
      notSound.add(fileName);
      return false;
    }
  }

  private static Instant takenAt(String fileName) {
    String stamp = fileName.substring(fileName.indexOf('_') + 1, fileName.lastIndexOf('_'));
    return LocalDateTime.parse(stamp, STAMP).toInstant(ZoneOffset.UTC);
  }
}
