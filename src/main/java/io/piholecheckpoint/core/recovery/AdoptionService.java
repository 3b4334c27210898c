package io.piholecheckpoint.core.recovery;

import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Slugs;
import io.piholecheckpoint.core.offsite.DestinationTurns;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.recovery.address.RecreatedAddress;
import io.piholecheckpoint.core.recovery.marks.AdoptedMarks;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disaster recovery: takes the copies a destination holds into this install's history, from the
 * manifests beside them alone. Each becomes a backup (marked as there: AdoptedMarks) of the instance of the same
 * name — or of one re-created, switched off, when there is none — with the manifest's times,
 * sizes and digests, and a copy at that destination that is {@code copied}, not verified: nothing
 * here has read it back yet. The copy queue does ({@link Copy#awaitingReadBack}), a batch a run,
 * and only then is it verified, or failed as damaged. The archive itself is fetched when
 * it is first needed ({@link io.piholecheckpoint.core.recovery.fetch.FetchingArchiveStore}), and the pin its manifest says. A backup already in
 * the history (the same archive file of the same instance) is not adopted twice; two backups whose
 * archives have the same bytes (taken at different times) are two backups. A bad manifest skips its
 * object with the reason counted; nothing one object holds stops the others. A copy already in the
 * history whose object at the destination is no longer the size its manifest says is marked damaged. A copy whose backup is
 * recorded here is its instance's, whatever name the manifest gives (the one the instance had then): an instance is re-created
 * only for a backup not recorded here, and the log says so.
 */
public final class AdoptionService {
  private static final Logger log = LoggerFactory.getLogger(AdoptionService.class);
  private static final String MANIFEST = ".json";
  /** How far ahead of this machine's clock a manifest's time may be (the clock of the box that wrote it may be off). */
  private static final Duration CLOCK_SKEW = Duration.ofDays(1);

  private final OffsiteTargets targets;
  private final CopyRepository copies;
  private final BackupRepository backups;
  private final InstanceService instances;
  private final Clock clock;
  private final CopyOutcomes outcomes;
  private final DamagedCopies damage;
  private final AdoptionNotes notes;
  /** The destinations being adopted from now: each one once at a time; several at once (each lane adopts its own at start). */
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  /** The same across the nodes of a cluster: each would record the destination's backups, and none sees the other's yet. */
  private final DestinationTurns turns;
  /** Two destinations holding the same backup adopt it once: what is recorded is decided one manifest at a time. */
  private final Object recording = new Object();

  public AdoptionService(List<OffsiteTarget> targets, CopyRepository copies, BackupRepository backups, InstanceService instances, Clock clock) {
    this(OffsiteTargets.of(targets), copies, backups, instances, clock, CopyOutcomes.NONE);
  }

  /**
   * @param targets read at each adoption: a destination added since can be adopted from at once
   * @param outcomes hears what each adoption took and skipped (the metrics)
   */
  public AdoptionService(OffsiteTargets targets, CopyRepository copies, BackupRepository backups, InstanceService instances, Clock clock,
                         CopyOutcomes outcomes) {
    this(targets, copies, backups, instances, clock, outcomes, AdoptionNotes.NONE);
  }

  /** @param notes where what each adoption skipped and noted is kept, for Settings */
  public AdoptionService(OffsiteTargets targets, CopyRepository copies, BackupRepository backups, InstanceService instances, Clock clock,
                         CopyOutcomes outcomes, AdoptionNotes notes) {
    this(targets, copies, backups, instances, clock, outcomes, notes, DestinationTurns.LOCAL);
  }

  /** @param turns each destination's adoption across the nodes of a cluster ({@link DestinationTurns#LOCAL} with one node) */
  public AdoptionService(OffsiteTargets targets, CopyRepository copies, BackupRepository backups, InstanceService instances, Clock clock,
                         CopyOutcomes outcomes, AdoptionNotes notes, DestinationTurns turns) {
    this.turns = turns;
    this.notes = notes;
    this.outcomes = outcomes;
    this.targets = targets;
    this.copies = copies;
    this.backups = backups;
    this.instances = instances;
    this.clock = clock;
    this.damage = new DamagedCopies(copies, clock);
  }

  /**
   * What one adoption found at a destination.
   *
   * @param found archives with a manifest beside them
   * @param known of those, already in the history (their copy row made sure of)
   * @param skipped by reason, how many could not be adopted
   * @param notes what was adopted otherwise than its manifest says, for the user to put right (an instance re-created without
   *     the address its manifest names); never a secret
   */
  public record Result(String destination, int found, int adopted, int known, Map<String, Integer> skipped, List<String> notes) {
    /**
     * The reasons and notes quote a manifest's words (an instance's name, a key), which anyone who can write to the destination
     * chose: Settings, the API and the kept notes show them with their controls and bidi overrides escaped, as the log does,
     * so a U+202E or a newline in a name cannot reverse or break what is said around it.
     */
    public Result {
      Map<String, Integer> shown = new TreeMap<>();
      skipped.forEach((why, count) -> shown.merge(LogText.withoutControls(why), count, Integer::sum));
      skipped = java.util.Collections.unmodifiableMap(shown);
      notes = notes.stream().map(LogText::withoutControls).toList();
    }

    public Result(String destination, int found, int adopted, int known, Map<String, Integer> skipped) {
      this(destination, found, adopted, known, skipped, List.of());
    }

    public int skippedTotal() {
      return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Adopts what the destination holds.
   *
   * @throws DestinationNotFoundException when no destination has that name
   * @throws AdoptionRunningException while another adoption of the destination runs, on this node or another
   * @throws IOException when the destination cannot be listed (its message says why, without a secret)
   */
  public Result adopt(String destination) throws IOException {
    OffsiteTarget target = targets.find(destination.toUpperCase(Locale.ROOT))
        .orElseThrow(() -> new DestinationNotFoundException(destination, targets.all().stream().map(OffsiteTarget::name).toList()));
    if (!running.add(target.name())) {
      throw running(target);
    }
    try (DestinationTurns.Turn turn = turns.tryTake(DestinationTurns.Work.ADOPTION, target.name()).orElseThrow(() -> running(target))) {
      return adopt(target);
    } finally {
      running.remove(target.name());
    }
  }

  private static AdoptionRunningException running(OffsiteTarget target) {
    return new AdoptionRunningException("an adoption of the off-site copies at " + target.name() + " is running; ask again when it has finished");
  }

  /**
   * At start, from the first run of the destination's copies (each destination's own, so that one
   * that stalls holds up no other): a failure is logged and left for the next start or the API.
   */
  public void adoptAtStart(String name) {
    try {
      adopt(name);
    } catch (IOException | RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        log.info("Adopting the off-site copies at {} stopped because Pi-hole Checkpoint is stopping; the next start adopts them", name);
        return;
      }
      if (e instanceof DestinationNotFoundException) {
        log.info("Off-site copies at {} were not adopted: it was deleted before its first run", name);
        return; // nothing to try again
      }
      if (e instanceof AdoptionRunningException) {
        log.info("Off-site copies at {} are being adopted already (asked for, or by another node's start)", name);
        return; // that adoption takes what this one would
      }
      log.warn("Off-site copies at {} could not be adopted ({}); POST /api/v1/offsite/{}/adopt tries again", name, LogText.of(e.getMessage()),
          name);
    }
  }

  private Result adopt(OffsiteTarget target) throws IOException {
    Destination destination = target.destination();
    // by key: each instance's copies in the order taken (<folder>/<slug>_<time>_…), each judged after those before it (AdoptedMarks)
    List<RemoteObject> objects = destination.list("").stream().sorted(java.util.Comparator.comparing(RemoteObject::key)).toList();
    Map<String, RemoteObject> byKey = objects.stream().collect(Collectors.toMap(RemoteObject::key, Function.identity(), (a, b) -> a));
    Map<String, Integer> skipped = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    int found = 0;
    int adopted = 0;
    int known = 0;
    List<RemoteObject> deferred = new ArrayList<>();
    for (RemoteObject object : objects) {
      if (!object.key().endsWith(MANIFEST) || !byKey.containsKey(archiveKey(object))) {
        continue; // a manifest whose archive is gone (pruned half-way, or deleted by hand): nothing to adopt
      }
      found++;
      Taken taken = adoptOne(target, object, byKey.get(archiveKey(object)), skipped, notes, false);
      if (taken == Taken.DEFERRED) {
        deferred.add(object);
      }
      adopted += taken == Taken.ADOPTED ? 1 : 0;
      known += taken == Taken.KNOWN ? 1 : 0;
    }
    // after every copy whose folder its name gives: those re-created their instances with their folders first, so a copy in a
    // folder of another name's (a renamed instance's) cannot take that folder from its instance by coming first in the listing
    for (RemoteObject object : deferred) {
      Taken taken = adoptOne(target, object, byKey.get(archiveKey(object)), skipped, notes, true);
      adopted += taken == Taken.ADOPTED ? 1 : 0;
      known += taken == Taken.KNOWN ? 1 : 0;
    }
    Result result = new Result(target.name(), found, adopted, known, skipped, List.copyOf(notes));
    outcomes.adopted(target.name(), adopted, result.skippedTotal());
    keep(result);
    log.info("Off-site copies at {}: {} found, {} adopted, {} already known, {} skipped", target.name(), found, adopted, known,
        result.skippedTotal());
    return result;
  }

  private static String archiveKey(RemoteObject manifest) {
    return manifest.key().substring(0, manifest.key().length() - MANIFEST.length());
  }

  /** What became of one copy. */
  private enum Taken { ADOPTED, KNOWN, SKIPPED, DEFERRED }

  /** @param last whether a copy whose folder its name does not give is decided now, rather than after the others */
  private Taken adoptOne(OffsiteTarget target, RemoteObject object, RemoteObject archive, Map<String, Integer> skipped, List<String> notes,
                         boolean last) {
    Destination destination = target.destination();
    String archiveKey = archiveKey(object);
    try {
      RemoteManifest manifest = read(destination, object, archiveKey, archive);
      if (archive.size() != manifest.uploadedBytes()) {
        if (!sizeDiffers(manifest, archive, target, notes)) {
          throw new Skip("its size differs from what its manifest says was uploaded");
        }
        return Taken.KNOWN; // the history's own copy, found damaged now or before: not a stranger skipped
      }
      return record(manifest, archiveKey, target.name(), notes, last) ? Taken.ADOPTED : Taken.KNOWN;
    } catch (Defer e) {
      return Taken.DEFERRED;
    } catch (Skip e) {
      skipped.merge(e.getMessage(), 1, Integer::sum);
      log.warn("Off-site copy {} at {} not adopted: {}", LogText.of(archiveKey), target.name(), LogText.of(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      // the destination failed on this object, or the record could not be stored (a file name another backup has): this one only
      String why = "it could not be read or recorded (" + e.getClass().getSimpleName() + ")";
      skipped.merge(why, 1, Integer::sum);
      log.warn("Off-site copy {} at {} not adopted: {}", LogText.of(archiveKey), target.name(), LogText.of(firstLine(e)));
    }
    return Taken.SKIPPED;
  }

  /**
   * The innermost cause's first line: a database error's message holds the statement and its parameters on lines of their own,
   * which say nothing to a person reading the log.
   */
  private static String firstLine(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage()).strip();
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end).strip();
  }

  /** What the adoption skipped and noted, kept for Settings in place of the destination's last; a store that fails is only logged. */
  private void keep(Result result) {
    Instant now = clock.instant();
    List<AdoptionNotes.Note> kept = new ArrayList<>();
    result.skipped().forEach((why, count) -> kept.add(new AdoptionNotes.Note(count, why, now)));
    result.notes().forEach(note -> kept.add(new AdoptionNotes.Note(0, note, now)));
    try {
      notes.replace(result.destination(), kept);
    } catch (RuntimeException e) {
      log.warn("What the adoption from {} skipped could not be kept for Settings ({}); the lines above say it", result.destination(),
          LogText.of(String.valueOf(e.getMessage())));
    }
  }

  /** What the last adoption from each destination skipped and noted, by destination. */
  public Map<String, List<AdoptionNotes.Note>> notes() {
    return notes.all();
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
  private boolean record(RemoteManifest manifest, String archiveKey, String destination, List<String> notes, boolean last) {
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
          throw new Skip("its manifest describes another archive than backup " + same.get().id() + " of the same file name (another SHA-256)");
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

  private RemoteManifest read(Destination destination, RemoteObject object, String archiveKey, RemoteObject archive) throws IOException {
    if (object.size() > RemoteManifest.MAX_BYTES) {
      throw new Skip("its manifest is too big to be one");
    }
    String json;
    try (InputStream in = destination.open(object.key())) {
      byte[] bytes = in.readNBytes(RemoteManifest.MAX_BYTES + 1);
      if (bytes.length > RemoteManifest.MAX_BYTES) {
        throw new Skip("its manifest is too big to be one");
      }
      json = new String(bytes, StandardCharsets.UTF_8);
    }
    RemoteManifest manifest;
    try {
      manifest = RemoteManifest.parse(json);
    } catch (IllegalArgumentException e) {
      throw new Skip("its manifest is not usable: " + e.getMessage());
    }
    if (!manifest.remoteKey().equals(archiveKey)) {
      throw new Skip("its manifest describes another object");
    }
    // times and sizes a backup of ours cannot have: a backup "from 2099" would keep its instance fresh in /health forever
    if (manifest.finishedAt().isBefore(manifest.startedAt()) || manifest.finishedAt().isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw new Skip("its manifest's times are impossible (finished before it started, or in the future)");
    }
    if (manifest.archive().sizeBytes() > manifest.uploadedBytes() * 4 + (1 << 20)) { // room for compression on the way, not for 2^62
      throw new Skip("its manifest says the archive is bigger than the copy that holds it");
    }
    return manifest;
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
        throw new Skip("its manifest names the instance '" + shown(name) + "' (" + Slugs.of(name) + "/), but it is stored as " + archiveKey
            + holder.filter(h -> !own).map(h -> ", the folder of '" + h.name() + "' here").orElse("")
            + "; only a copy stored under its own instance's folder is adopted"
            + holder.filter(h -> !own).map(h -> " (if '" + shown(name) + "' is '" + h.name() + "' renamed, rename it so here and adopt again)")
            .orElse(""));
      }
      if (holder.isEmpty() && !legacy && !last && !Slugs.couldBeFolderOf(name, folder)) {
        throw new Defer();
      }
    }
    if (named.size() > 1) {
      // two histories must never merge: the copy could be either's, and where it is stored (<slug>/) does not tell them apart
      throw new Skip("its manifest names the instance '" + shown(name) + "', which " + named.size() + " instances here have ("
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
      throw new Skip("its instance '" + shown(name) + "' could not be re-created: " + e.getMessage());
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
  private boolean sizeDiffers(RemoteManifest manifest, RemoteObject archive, OffsiteTarget target, List<String> notes) {
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

  private static Skip recordedAlready(Backup recorded) {
    return new Skip("its archive " + recorded.fileName() + " is recorded already, as backup " + recorded.id() + " (instance #"
        + recorded.instanceId() + "), and is not recorded twice");
  }

  /** One object decided after the others (AdoptionService#owner). */
  private static final class Defer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Defer() {
      super(null, null, false, false);
    }
  }

  /** One object not adopted, for a reason that is counted. */
  private static final class Skip extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skip(String why) {
      super(why, null, false, false);
    }
  }
}
