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
import io.piholecheckpoint.core.recovery.adopted.AdoptedCopies;
import io.piholecheckpoint.core.recovery.adopted.CopyDeferred;
import io.piholecheckpoint.core.recovery.adopted.CopySkipped;
import io.piholecheckpoint.core.recovery.adopted.RemoteManifest;
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
  private final AdoptedCopies history;
  private final Clock clock;
  private final CopyOutcomes outcomes;
  private final AdoptionNotes notes;
  /** The destinations being adopted from now: each one once at a time; several at once (each lane adopts its own at start). */
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  /** The same across the nodes of a cluster: each would record the destination's backups, and none sees the other's yet. */
  private final DestinationTurns turns;

  public AdoptionService(List<OffsiteTarget> targets, CopyRepository copies, BackupRepository backups, InstanceService instances, Clock clock) {
    this(OffsiteTargets.of(targets), new AdoptedCopies(copies, backups, instances, clock), clock, CopyOutcomes.NONE);
  }

  /**
   * @param targets read at each adoption: a destination added since can be adopted from at once
   * @param history where each manifest's copy, and its backup, are recorded
   * @param outcomes hears what each adoption took and skipped (the metrics)
   */
  public AdoptionService(OffsiteTargets targets, AdoptedCopies history, Clock clock, CopyOutcomes outcomes) {
    this(targets, history, clock, outcomes, AdoptionNotes.NONE, DestinationTurns.LOCAL);
  }

  /**
   * @param notes where what each adoption skipped and noted is kept, for Settings
   * @param turns each destination's adoption across the nodes of a cluster ({@link DestinationTurns#LOCAL} with one node)
   */
  public AdoptionService(OffsiteTargets targets, AdoptedCopies history, Clock clock, CopyOutcomes outcomes, AdoptionNotes notes,
                         DestinationTurns turns) {
    this.turns = turns;
    this.notes = notes;
    this.outcomes = outcomes;
    this.targets = targets;
    this.history = history;
    this.clock = clock;
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
        if (!history.sizeDiffers(manifest, archive, target, notes)) {
          throw new CopySkipped("its size differs from what its manifest says was uploaded");
        }
        return Taken.KNOWN; // the history's own copy, found damaged now or before: not a stranger skipped
      }
      return history.record(manifest, archiveKey, target.name(), notes, last) ? Taken.ADOPTED : Taken.KNOWN;
    } catch (CopyDeferred e) {
      return Taken.DEFERRED;
    } catch (CopySkipped e) {
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

  private RemoteManifest read(Destination destination, RemoteObject object, String archiveKey, RemoteObject archive) throws IOException {
    if (object.size() > RemoteManifest.MAX_BYTES) {
      throw new CopySkipped("its manifest is too big to be one");
    }
    String json;
    try (InputStream in = destination.open(object.key())) {
      byte[] bytes = in.readNBytes(RemoteManifest.MAX_BYTES + 1);
      if (bytes.length > RemoteManifest.MAX_BYTES) {
        throw new CopySkipped("its manifest is too big to be one");
      }
      json = new String(bytes, StandardCharsets.UTF_8);
    }
    RemoteManifest manifest;
    try {
      manifest = RemoteManifest.parse(json);
    } catch (IllegalArgumentException e) {
      throw new CopySkipped("its manifest is not usable: " + e.getMessage());
    }
    if (!manifest.remoteKey().equals(archiveKey)) {
      throw new CopySkipped("its manifest describes another object");
    }
    // times and sizes a backup of ours cannot have: a backup "from 2099" would keep its instance fresh in /health forever
    if (manifest.finishedAt().isBefore(manifest.startedAt()) || manifest.finishedAt().isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw new CopySkipped("its manifest's times are impossible (finished before it started, or in the future)");
    }
    if (manifest.archive().sizeBytes() > manifest.uploadedBytes() * 4 + (1 << 20)) { // room for compression on the way, not for 2^62
      throw new CopySkipped("its manifest says the archive is bigger than the copy that holds it");
    }
    return manifest;
  }

}
