package io.piholecheckpoint.core.recovery;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.recovery.adopted.RemoteManifest;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether BACKUP_ENCRYPTION_PASSPHRASE opens the copies the destinations already hold: found once per start, not on the
 * day a restore needs one. Each destination's first run after the start decrypts one of its encrypted archives (the
 * smallest with a manifest beside it, as a stream that is only counted: nothing plain is written) with the passphrase
 * set here. A destination whose copy it does not open is named to {@code /health} (degraded) and Settings until the next
 * start; a destination that holds no encrypted copy says nothing here. One that could not be read then (out of reach, or
 * the copy tried is damaged) is tried again at a later run of its lane, {@link #RETRY_AFTER} after the last try, until the
 * check could be made: a NAS that was off at the start is checked once it is back, not only at the next start. The check
 * runs in the lane's Quartz job; {@code /health} only reads what it found.
 */
public final class PassphraseCheck {
  private static final Logger log = LoggerFactory.getLogger(PassphraseCheck.class);
  private static final String MANIFEST = ".json";
  private static final int MANIFESTS_READ = 5;
  /** How long after a try that could not check the next one is made: a lane runs every minute, a destination down stays so a while. */
  public static final Duration RETRY_AFTER = Duration.ofMinutes(10);

  private final OffsiteTargets targets;
  private final ArchiveCipher cipher;
  private final Clock clock;
  /** The destinations checked since the start: the passphrase opened their copy, did not, or there was nothing encrypted to try. */
  private final Set<String> checked = ConcurrentHashMap.newKeySet();
  /** The destinations whose last try could not check, with when the next try is due. */
  private final Map<String, Instant> retryAt = new ConcurrentHashMap<>();
  /** The destinations whose copy the passphrase does not open. */
  private final Set<String> unopened = ConcurrentHashMap.newKeySet();

  /** Why new archives are refused: the passphrase does not open BACKUP_DIR's check file, found at the start. */
  private final Optional<String> refused;

  public PassphraseCheck(OffsiteTargets targets, ArchiveCipher cipher, Clock clock) {
    this(targets, cipher, clock, Optional.empty());
  }

  /** @param refused why the start refused new archives ({@code PassphraseCheckFile}): said first, at once, before any copy is tried */
  public PassphraseCheck(OffsiteTargets targets, ArchiveCipher cipher, Clock clock, Optional<String> refused) {
    this.refused = refused;
    this.targets = targets;
    this.cipher = cipher;
    this.clock = clock;
  }

  /**
   * The passphrase against one encrypted copy at the destination, once per start: each destination's lane calls it at its
   * first run, and at every later one, when it does nothing unless the tries so far could not check and the next is due.
   */
  public void checkWhenDue(String name) {
    Optional<OffsiteTarget> target = targets.find(name);
    Instant now = clock.instant();
    Instant due = retryAt.get(name);
    if (target.isEmpty() || checked.contains(name) || due != null && now.isBefore(due)) {
      return;
    }
    try {
      Optional<RemoteObject> tried = oneEncrypted(target.get().destination());
      if (tried.isPresent()) {
        try (InputStream in = target.get().destination().open(tried.get().key())) {
          cipher.decrypt(in, OutputStream.nullOutputStream());
        }
      } // else nothing encrypted there yet: nothing a passphrase must open
      unopened.remove(name);
      checked(name, due != null);
    } catch (WrongPassphraseException e) {
      unopened.add(name);
      checked(name, false);
      log.error("The BACKUP_ENCRYPTION_PASSPHRASE set here does not open the off-site copies at {} ({}): they cannot be restored from until"
          + " Pi-hole Checkpoint runs with the passphrase they were encrypted with", name, LogText.of(String.valueOf(e.getMessage())));
    } catch (IOException | RuntimeException e) {
      // out of reach now, or that one copy is damaged: says nothing of the passphrase (the copies' own checks tell of those)
      retryAt.put(name, now.plus(RETRY_AFTER));
      if (due == null && hasPassphraseToCheck(name)) {
        log.info("Whether the passphrase opens the off-site copies at {} could not be checked now: {}; tried again every {} minutes until it"
            + " can be", name, LogText.of(String.valueOf(e.getMessage())), RETRY_AFTER.toMinutes());
      }
    }
  }

  private void checked(String name, boolean afterRetries) {
    checked.add(name);
    retryAt.remove(name);
    if (afterRetries && !unopened.contains(name)) {
      log.info("The passphrase set here opens the off-site copies at {}: checked now that it could be read", name);
    }
  }

  /**
   * The smallest encrypted archive whose manifest beside it says it is the copy uploaded there (a stray or half-written
   * object would fail for another reason than the passphrase): ours, and the cheapest to read. A few manifests are read at most.
   */
  private static Optional<RemoteObject> oneEncrypted(Destination destination) throws IOException {
    List<RemoteObject> objects = destination.list("");
    Set<String> keys = objects.stream().map(RemoteObject::key).collect(Collectors.toSet());
    List<RemoteObject> candidates = objects.stream().filter(o -> o.key().endsWith(ArchiveCipher.SUFFIX) && keys.contains(o.key() + MANIFEST))
        .sorted(Comparator.comparingLong(RemoteObject::size)).limit(MANIFESTS_READ).toList();
    for (RemoteObject archive : candidates) {
      try (InputStream in = destination.open(archive.key() + MANIFEST)) {
        byte[] json = in.readNBytes(RemoteManifest.MAX_BYTES + 1);
        RemoteManifest manifest = RemoteManifest.parse(new String(json, StandardCharsets.UTF_8));
        if (json.length <= RemoteManifest.MAX_BYTES && manifest.remoteKey().equals(archive.key()) && manifest.uploadedBytes() == archive.size()) {
          return Optional.of(archive);
        }
      } catch (IllegalArgumentException e) {
        // not a manifest of ours: the adoption skips it and says why; the next one may be
      }
    }
    return Optional.empty();
  }

  /** The destinations whose copies the passphrase set here does not open, sorted; empty when every one checked opens. */
  public List<String> unopened() {
    return unopened.stream().sorted().toList();
  }

  /**
   * The destinations not checked yet because the tries so far could not read them, with when the next try is due, sorted by
   * name: "not known yet", which {@code /health} and Settings show (a NAS off at the start would otherwise look checked).
   */
  public java.util.SortedMap<String, Instant> unchecked() {
    java.util.SortedMap<String, Instant> waiting = new java.util.TreeMap<>(retryAt);
    waiting.keySet().removeAll(checked);
    waiting.keySet().removeIf(name -> !hasPassphraseToCheck(name));
    return waiting;
  }

  /**
   * Whether a passphrase is in play at {@code name}: one is set here (every copy is encrypted with it), or the destination
   * encrypts. One that copies plain with no passphrase set has none whose check is "not known yet" (an outsider saw such
   * destinations, out of reach, reported "unchecked"); it is still tried, so old encrypted copies found there are said missing.
   */
  private boolean hasPassphraseToCheck(String name) {
    return cipher.encryptsNewArchives() || targets.find(name).map(OffsiteTarget::encrypt).orElse(false);
  }

  /** The destinations not checked yet in words, with when the next try is (written by {@code times}); empty when there are none. */
  public Optional<String> notChecked(LocalTimeText times) {
    java.util.SortedMap<String, Instant> waiting = unchecked();
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    Instant next = waiting.values().stream().min(Comparator.naturalOrder()).orElseThrow();
    return Optional.of("whether the BACKUP_ENCRYPTION_PASSPHRASE opens the off-site copies at " + String.join(", ", waiting.keySet())
        + " is not known yet: they could not be read to check it; tried again from " + times.of(next) + ", every " + RETRY_AFTER.toMinutes()
        + " minutes until it can be");
  }

  /** What is wrong, in words that say what to do; empty when nothing is. */
  public Optional<String> problem() {
    List<String> where = unopened();
    if (where.isEmpty()) {
      return refused;
    }
    boolean none = !cipher.encryptsNewArchives();
    return Optional.of((none ? "no BACKUP_ENCRYPTION_PASSPHRASE is set, and the off-site copies at " : "the BACKUP_ENCRYPTION_PASSPHRASE set"
        + " does not open the off-site copies at ") + String.join(", ", where) + (none ? " are encrypted" : "")
        + ": they cannot be restored from. Start Pi-hole Checkpoint with the passphrase they were encrypted with"
        + refused.map(r -> ". " + r).orElse(""));
  }
}
