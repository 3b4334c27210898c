package io.piholecheckpoint.core.recovery.adopted;

import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Slugs;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.recovery.address.RecreatedAddress;
import io.piholecheckpoint.core.recovery.marks.AdoptedMarks;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.units.LogText;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an adoption writes of one copy a manifest describes: the backup (unless the history has it), its copy at the destination,
 * and the instance it belongs to, re-created when this install has none. {@code recovery.AdoptionService} reads the
 * destination and decides nothing of the history; this decides everything of it, one manifest at a time.
 */
public final class AdoptedCopies {
  private static final Logger log = LoggerFactory.getLogger(AdoptedCopies.class);
  private final CopyRepository copies;
  private final BackupRepository backups;
  private final InstanceService instances;
  private final Clock clock;
  private final DamagedCopies damage;
  /** Two destinations holding the same backup adopt it once: what is recorded is decided one manifest at a time. */
  private final Object recording = new Object();

  public AdoptedCopies(CopyRepository copies, BackupRepository backups, InstanceService instances, Clock clock) {
    this.copies = copies;
    this.backups = backups;
    this.instances = instances;
    this.clock = clock;
    this.damage = new DamagedCopies(copies, clock);
  }

  /**
   * Records the copy, and its backup unless the history has it already: the backup of the same
   * instance with the same archive file. Not the same SHA-256: two backups of a Pi-hole that did not
   * change between them can have archives of the same bytes, and each is a backup with its own time
   * and pin. A backup the history has without a copy here yet (adopted from another destination, or
   * found in BACKUP_DIR, this very recovery) takes the manifest's pin. A copy this install has a record of whose backup it
   * deleted is not adopted: the backup stays deleted.
   *
   * @param notes where what was adopted otherwise than the manifest says is told
   * @return whether the backup was new
   */
  public boolean record(RemoteManifest manifest, String archiveKey, String destination, List<String> notes, boolean last) {
    synchronized (recording) {
      if (backups.deletedWithCopyAt(destination, archiveKey)) {
        // this install deleted its backup (by hand: the copy goes next; by retention here while the destination's keeps it; with
        // its instance) and knows it by this very record: adopting it would bring back at every start, and with its instance
        // re-created, what the user or the policy let go
        log.info("Off-site copy {} at {} not adopted: its backup was deleted here", LogText.of(archiveKey), destination);
        return false;
      }
      String fileName = manifest.archive().fileName();
      Optional<Backup> recorded = backups.findByFileName(fileName);
      // a backup recorded here belongs to its instance whatever the manifest's name says: an instance renamed (or deleted keeping
      // its backups) after the copy was made has another name, or none, and no instance is made again for what is known
      Optional<PiholeInstance> recordedOwner = recorded.flatMap(b -> ownerHere(b, archiveKey, destination));
      PiholeInstance owner = recordedOwner.isPresent() ? recordedOwner.get()
          : owner(manifest, archiveKey, destination, notes, last, recorded);
      Optional<Backup> same = backups.findSuccessful(owner.id()).stream().filter(b -> fileName.equals(b.fileName())).findFirst();
      if (same.isPresent()) {
        if (!same.get().archive().sha256().equalsIgnoreCase(manifest.archive().sha256())) {
          throw new CopySkipped("its manifest describes another archive than backup " + same.get().id() + " of the same file name (another SHA-256)");
        }
        boolean copiedHere = copies.findByBackup(same.get().id()).stream().anyMatch(c -> c.destination().equals(destination));
        copies.adopt(copyOf(same.get(), manifest, destination), manifest.pinned()); // a copy row lost between the record and it (a crash) is made now
        if (!copiedHere && manifest.pinned() && !same.get().pinned() && backups.setPinned(same.get().id(), true)) {
          log.info("Backup {} ({}) pinned again, as the manifest of its copy at {} says it was", same.get().id(), LogText.of(fileName),
              destination);
        }
        return false;
      }
      if (recorded.isPresent()) {
        // file names are unique: the archive is recorded already, as another instance's backup (a copy of one name stored twice)
        throw recordedAlready(recorded.get());
      }
      Backup backup = AdoptedMarks.record(owner.id(), manifest.archive(), manifest.trigger(), manifest.suspicious(), manifest.accepted(),
          manifest.startedAt(), manifest.finishedAt(), backups);
      copies.adopt(copyOf(backup, manifest, destination), manifest.pinned());
      if (manifest.pinned()) {
        backups.setPinned(backup.id(), true); // as it was: retention here never deletes it either
      }
      // its archive is there, not here, until it is fetched: remote only (after the copy, so it is never shown missing); a
      // crash before this line is put right by the daily check, which finds the file not on this disk
      backups.setFileMissing(backup.id(), true);
      return true;
    }
  }

  /**
   * The instance of a recorded backup when the copy is where that instance's copies are: in its folder, or at the very key
   * a copy row of that backup names at this destination (one sent from here, or adopted before). Where it is stored, not the
   * manifest's name, says whose it is: the name is the one the instance had when the copy was made.
   */
  private Optional<PiholeInstance> ownerHere(Backup backup, String archiveKey, String destination) {
    String folder = archiveKey.contains("/") ? archiveKey.substring(0, archiveKey.indexOf('/')) : "";
    return instances.lookUp(backup.instanceId())
        .filter(i -> i.slug().equals(folder)
            || copies.findByBackup(backup.id()).stream().anyMatch(c -> c.destination().equals(destination) && c.remoteKey().equals(archiveKey)));
  }

  /**
   * The instance of that name, or one made again (switched off) when this install has none. Where the copy is stored says
   * whose it is ({@code <folder>/<archive>}, as it was uploaded): each instance has a folder of its own, kept through renames,
   * and a copy is adopted from its instance's folder here; from its name's readable slug, where every build before the folders
   * were unique put it (a folder two names could share: the manifest's name tells them apart); or from a folder no instance
   * here holds (its instance's on the install that was lost), which an instance re-created for it keeps (from a readable slug it
   * gets a folder of its own, whichever copy comes first in the listing). A manifest naming
   * another instance than the one whose folder it is in is refused, or a copy put beside another instance's could join that
   * instance's history.
   *
   * @param last whether a copy in a free folder its name does not give (a renamed instance's) is decided now: first it waits
   *     for the copies whose folder their name gives, so that it cannot take their folder by coming first
   * @param recorded the backup of its archive's file name recorded here, if any: only for a backup not recorded is an instance
   *     made again (made for one recorded as another instance's, it would stay without a backup, a phantom on the dashboard)
   */
  private PiholeInstance owner(RemoteManifest manifest, String archiveKey, String destination, List<String> notes, boolean last,
                               Optional<Backup> recorded) {
    String name = manifest.instance().strip();
    String folder = archiveKey.contains("/") ? archiveKey.substring(0, archiveKey.indexOf('/')) : "";
    String file = archiveKey.substring(archiveKey.lastIndexOf('/') + 1);
    boolean nameless = InstanceNames.problem(name).isPresent(); // no instance can have it: refused below, as a form refuses it
    List<PiholeInstance> all = instances.list();
    List<PiholeInstance> named = all.stream().filter(i -> !i.removed() && InstanceNames.same(name, i.name())).toList();
    boolean legacy = Slugs.of(name).equals(folder);
    if (!nameless) {
      Optional<PiholeInstance> holder = all.stream().filter(i -> i.slug().equals(folder)).findFirst();
      boolean own = holder.isPresent() && named.size() == 1 && holder.get().id() == named.get(0).id();
      if (folder.isEmpty() || !ArchiveFiles.slugOf(file).map(folder::equals).orElse(true)
          || holder.isPresent() && !own && !legacy) {
        throw new CopySkipped("its manifest names the instance '" + shown(name) + "' (" + Slugs.of(name) + "/), but it is stored as " + archiveKey
            + holder.filter(h -> !own).map(h -> ", the folder of '" + h.name() + "' here").orElse("")
            + "; only a copy stored under its own instance's folder is adopted"
            + holder.filter(h -> !own).map(h -> " (if '" + shown(name) + "' is '" + h.name() + "' renamed, rename it so here and adopt again)")
            .orElse(""));
      }
      if (holder.isEmpty() && !legacy && !last && !Slugs.couldBeFolderOf(name, folder)) {
        throw new CopyDeferred();
      }
    }
    if (named.size() > 1) {
      // two histories must never merge: the copy could be either's, and where it is stored (<slug>/) does not tell them apart
      throw new CopySkipped("its manifest names the instance '" + shown(name) + "', which " + named.size() + " instances here have ("
          + named.stream().map(i -> "#" + i.id()).collect(Collectors.joining(", ")) + "); rename all but one and adopt again");
    }
    if (named.size() == 1) {
      return named.get(0);
    }
    if (recorded.isPresent()) {
      throw recordedAlready(recorded.get());
    }
    String address = RecreatedAddress.of(manifest.instanceUrl());
    PiholeInstance made;
    try {
      // the folder its copies are in, unless it is the readable slug other names may share (or another holds it): one of its own
      made = instances.recreate(name, address, destination, legacy ? null : folder);
    } catch (RuntimeException e) {
      throw new CopySkipped("its instance '" + shown(name) + "' could not be re-created: " + e.getMessage());
    }
    log.info("Off-site copies at {}: instance '{}' (#{}) re-created, switched off: no instance here is named so, and the backup of its"
        + " copy {} is not recorded here", destination, LogText.of(made.name()), made.id(), LogText.of(archiveKey));
    RecreatedAddress.otherThanNamed(manifest.instanceUrl(), address).ifPresent(why -> {
      String note = "'" + made.name() + "' was re-created with the address " + address + ", not the one its manifest names: " + why;
      notes.add(note);
      log.warn("Off-site copies at {}: {}", destination, LogText.of(note));
    });
    return made;
  }

  /** The longest part of a manifest's instance name a reason quotes: enough to tell which; the reason goes to the log and Settings. */
  private static final int NAME_SHOWN = 80;

  /**
   * A manifest's instance name as a skip's reason quotes it: cut to {@link #NAME_SHOWN} characters with how long it is, since
   * a manifest is anyone's text (a 5,000-character name was written whole into a WARN and into Settings at every adoption).
   */
  static String shown(String name) {
    int length = name.codePointCount(0, name.length());
    return length <= NAME_SHOWN ? name : name.substring(0, name.offsetByCodePoints(0, NAME_SHOWN)) + "… (" + length + " characters)";
  }

  private Copy copyOf(Backup backup, RemoteManifest manifest, String destination) {
    return Copy.adopted(backup.id(), backup.instanceId(), destination, backup.fileName(), manifest.remoteKey(), backup.finishedAt(),
        manifest.uploadedBytes(), manifest.uploadedSha256(), clock.instant());
  }

  /**
   * The object of a copy is not the size its manifest says was uploaded. When the history has that copy already (adopted
   * before, or sent from here) and counts on it — verified, or adopted and waiting to be read back — it is marked damaged,
   * as the re-check would: sent again when the archive is on this disk, else given up, and said in the adoption's notes.
   * Nothing is made for it (no instance).
   *
   * @return whether the history has that copy (marked damaged now, or before): one it knows, not one skipped
   */
  public boolean sizeDiffers(RemoteManifest manifest, RemoteObject archive, OffsiteTarget target, List<String> notes) {
    String name = manifest.instance().strip();
    String fileName = manifest.archive().fileName();
    List<PiholeInstance> named = instances.list().stream().filter(i -> !i.removed() && InstanceNames.same(name, i.name())).toList();
    // a name two instances have is no one's: owner() refuses it, and no history is touched here either; a renamed instance's
    // copy is its recorded backup's, as record() takes it
    Optional<Backup> backup = (named.size() == 1 ? named.stream().findFirst() : Optional.<PiholeInstance>empty())
        .flatMap(i -> backups.findSuccessful(i.id()).stream().filter(b -> fileName.equals(b.fileName())).findFirst())
        .or(() -> backups.findByFileName(fileName).filter(b -> ownerHere(b, archive.key(), target.name()).isPresent()));
    if (backup.isEmpty()) {
      return false;
    }
    Optional<Copy> known = copies.findByBackup(backup.get().id()).stream()
        .filter(c -> c.destination().equals(target.name()) && c.remoteKey().equals(archive.key()))
        .findFirst();
    known.filter(c -> c.state() == Copy.State.VERIFIED || c.awaitingReadBack())
        .filter(c -> !Long.valueOf(archive.size()).equals(c.sentBytes()))
        .ifPresent(c -> notes.add("the copy of backup " + backup.get().id() + " " + damage.record(c, DamagedCopies.difference(c,
            new RemoteObject(archive.key(), archive.size(), null, null), target.destination().describe()).orElseThrow(), "adopted again",
            backup.get().fileMissing() ? "its archive is not on this disk" : null)));
    return known.isPresent();
  }

  private static CopySkipped recordedAlready(Backup recorded) {
    return new CopySkipped("its archive " + recorded.fileName() + " is recorded already, as backup " + recorded.id() + " (instance #"
        + recorded.instanceId() + "), and is not recorded twice");
  }}
