package io.piholecheckpoint.core.recovery.copies;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The off-site copies an archive can be fetched back from or checked against: verified ones, at
 * destinations in use, that say what was sent. Each fetch goes through {@link CopyFetch}; a copy
 * found changed or gone on the way is marked damaged through {@link DamagedCopies}, the one place
 * that decides what that means.
 */
public final class CopySources {
  private static final Logger log = LoggerFactory.getLogger(CopySources.class);

  private final CopyRepository copies;
  private final BackupRepository backups;
  private final OffsiteTargets targets;
  private final Clock clock;
  private final DamagedCopies damage;
  private final CopyFetch fetcher;
  private final CopyOutcomes outcomes;

  /** @param outcomes told of each copy found damaged here, as the daily re-check tells it (checkpoint_offsite_copies_total) */
  public CopySources(CopyRepository copies, BackupRepository backups, OffsiteTargets targets, CopyFetch fetcher, Clock clock,
      CopyOutcomes outcomes) {
    this.outcomes = outcomes;
    this.copies = copies;
    this.backups = backups;
    this.targets = targets;
    this.clock = clock;
    this.damage = new DamagedCopies(copies, clock);
    this.fetcher = fetcher;
  }

  /** What fetching from the copies of one archive came to. */
  public static final class Attempt {
    /** The copy the archive was fetched from; null when none gave it. */
    Copy from;
    /** The archive opened on the way in, when it was asked for and kept encrypted here (see {@link CopyFetch#fetch}); else null. */
    ArchiveStore.PlainArchive opened;
    /** Per copy that could not be read now: "DESTINATION: why". */
    final List<String> failures = new ArrayList<>();
    /** Per copy found changed or gone: "DESTINATION: the error recorded on it". */
    final List<String> damaged = new ArrayList<>();
    /** Copies the passphrase set here does not open. */
    int undecryptable;

    /** Closes the {@link #opened} archive of a fetch that failed after it (nobody else will), and returns {@code failure}. */
    public RuntimeException closeOpened(RuntimeException failure) {
      if (opened != null) {
        try {
          opened.close();
        } catch (IOException e) {
          failure.addSuppressed(e);
        }
        opened = null;
      }
      return failure;
    }

    /** Whether the passphrase is all that failed: no copy at fault, nor a destination that is down. */
    public boolean onlyThePassphrase() {
      return undecryptable > 0 && undecryptable == failures.size() && damaged.isEmpty();
    }

    public List<String> said() {
      List<String> all = new ArrayList<>(failures);
      all.addAll(damaged);
      return all;
    }

    public Copy from() {
      return from;
    }

    public ArchiveStore.PlainArchive opened() {
      return opened;
    }

    public List<String> failures() {
      return failures;
    }

    public List<String> damaged() {
      return damaged;
    }
  }

  /** The copies of one archive, each file name's, as the repository holds them. */
  public List<Copy> of(String fileName) {
    return copies.findByFileName(fileName);
  }

  /** The backup the copies are of, unless it failed or is being deleted (a backup being deleted is not brought back). */
  public Optional<Backup> owner(List<Copy> copiesOfFile) {
    return copiesOfFile.isEmpty() ? Optional.empty() : backups.findById(copiesOfFile.get(0).backupId())
        .filter(b -> b.successful() && !b.deleting());
  }

  /**
   * Fetches the archive from the first usable copy that gives it as recorded. The copies found changed or gone on the way are
   * marked damaged, to be sent again from the archive when it is on this disk now, else given up.
   *
   * @param withoutIt why a copy found damaged cannot be sent again when none gave the archive ("its local archive is gone too")
   */
  public Attempt fetch(Backup backup, List<Copy> all, String withoutIt) {
    return fetch(backup, all, withoutIt, false);
  }

  /** @param open whether the reader that asked opens the archive next: then the {@link Attempt#opened} archive is its to close */
  public Attempt fetch(Backup backup, List<Copy> all, String withoutIt, boolean open) {
    Attempt attempt = new Attempt();
    Map<Copy, String> found = new LinkedHashMap<>();
    for (Copy copy : usable(all)) {
      Destination destination = destination(copy);
      if (destination == null) {
        continue; // deleted or changed in Settings a moment ago
      }
      if (attempt.undecryptable > 0 && copy.remoteKey().endsWith(ArchiveCipher.SUFFIX)) {
        // encrypted with the one passphrase as the copy it did not open: it would be downloaded whole only to fail alike
        continue;
      }
      try {
        attempt.opened = fetcher.fetch(copy, destination, backup.archive(), open);
        try {
          readBack(copy);
        } catch (RuntimeException e) {
          throw attempt.closeOpened(e);
        }
        attempt.from = copy;
        break;
      } catch (CopyFetch.CopyDamaged e) {
        found.put(copy, e.found());
      } catch (DestinationException e) {
        if (e.problem() == DestinationException.Problem.MISSING) {
          found.put(copy, "vanished from " + destination.describe());
        } else {
          attempt.failures.add(unusable(copy, e));
        }
      } catch (WrongPassphraseException e) {
        attempt.failures.add(unusable(copy, e));
        attempt.undecryptable++;
      } catch (IOException | RuntimeException e) {
        attempt.failures.add(unusable(copy, e));
      }
    }
    String notSent = attempt.from != null ? null : withoutIt;
    found.forEach((copy, what) -> attempt.damaged.add(copy.destination() + ": " + damaged(copy, what, "fetched", notSent)));
    return attempt;
  }

  /** What checking every usable copy where it is (size and SHA-256 read back) found. */
  public record Checked(List<Copy> sound, Map<Copy, String> found, List<String> failures) {
  }

  /**
   * Checks each usable copy at its destination, as the daily re-check does, side by side but at most
   * {@link BoundedChecks#MAX_AT_ONCE} at a time; a sound one is marked checked.
   */
  public Checked check(List<Copy> all) {
    Checked checked = new Checked(new ArrayList<>(), new LinkedHashMap<>(), new ArrayList<>());
    for (Checking one : BoundedChecks.run(usable(all), this::checkOne)) {
      if (one == null) {
        continue;
      } else if (one.failure() != null) {
        checked.failures().add(one.failure());
      } else if (one.difference().isEmpty()) {
        checked.sound().add(one.copy());
      } else {
        checked.found().put(one.copy(), one.difference().get());
      }
    }
    return checked;
  }

  /** What checking one copy found: a difference (none when sound), or why it could not be checked now. */
  private record Checking(Copy copy, Optional<String> difference, String failure) {
  }

  /** @return null when its destination went out of use a moment ago */
  private Checking checkOne(Copy copy) {
    Destination destination = destination(copy);
    if (destination == null) {
      return null;
    }
    try {
      Optional<String> difference = DamagedCopies.difference(copy, destination.check(copy.remoteKey()).orElse(null), destination.describe());
      if (difference.isEmpty() && !readBack(copy)) {
        copies.markChecked(copy.id(), clock.instant());
      }
      return new Checking(copy, difference, null);
    } catch (IOException e) {
      return new Checking(copy, Optional.empty(), unusable(copy, e));
    }
  }

  /** Records copies found not to be what was sent (see {@link DamagedCopies#record}); returns "DESTINATION: error" of each. */
  public List<String> recordDamaged(Map<Copy, String> found, String how, boolean sendAgain) {
    List<String> said = new ArrayList<>();
    found.forEach((copy, difference) -> said.add(copy.destination() + ": " + damaged(copy, difference, how,
        sendAgain ? null : "its local archive is gone too")));
    return said;
  }

  /** {@link DamagedCopies#record}, counted. */
  private String damaged(Copy copy, String found, String how, String notSentBecause) {
    String error = damage.record(copy, found, how, notSentBecause);
    outcomes.attempted(copy.destination(), "damaged");
    return error;
  }

  /**
   * Whether the passphrase set here opens this sound copy, when it is encrypted, and it holds the archive recorded: decrypted
   * as a stream and only counted, so no plain archive is written anywhere. Its checksum says nothing of that, and a fresh
   * install with the wrong passphrase adopts every copy all the same.
   *
   * @return why it cannot be read; empty when it can
   */
  public Optional<String> opens(Copy copy, Archive archive) {
    Destination destination = destination(copy);
    if (destination == null || !copy.remoteKey().endsWith(ArchiveCipher.SUFFIX)) {
      return Optional.empty();
    }
    try {
      fetcher.opens(copy, destination, archive);
      return Optional.empty();
    } catch (CopyFetch.CopyDamaged e) {
      return Optional.of("the off-site copy at " + copy.destination() + " cannot be read: " + damaged(copy, e.found(), "verified",
          "its local archive is gone too"));
    } catch (WrongPassphraseException e) {
      throw new WrongPassphraseException("the off-site copy at " + copy.destination() + " cannot be read: " + e.getMessage(), e);
    } catch (ArchiveStorageException e) {
      return Optional.of("the off-site copy at " + copy.destination() + " cannot be read: " + e.getMessage());
    } catch (IOException e) {
      throw new ArchiveStorageException("the archive " + archive.fileName() + " is not on this disk and its off-site copy could not be read now ("
          + unusable(copy, e) + "); try again once the destination answers");
    }
  }

  /** Fetches the archive from the first of these copies (just read back as sent) that gives it; returns it, or null. */
  public Copy fetchFromAny(List<Copy> sound, Backup backup) {
    for (Copy copy : sound) {
      Destination destination = destination(copy);
      if (destination == null) {
        continue;
      }
      try {
        fetcher.fetch(copy, destination, backup.archive());
        readBack(copy);
        return copy;
      } catch (IOException | RuntimeException e) {
        unusable(copy, e);
      }
    }
    return null;
  }

  /**
   * An adopted copy just read back as its manifest says ({@link Copy#awaitingReadBack}) is verified, as the queue would find it,
   * its error of an earlier try (a destination that was down) gone with it.
   *
   * @return whether it was one
   */
  private boolean readBack(Copy copy) {
    if (!copy.awaitingReadBack()) {
      return false;
    }
    copies.markVerified(copy.id(), clock.instant());
    return true;
  }

  /**
   * The destinations out of use now (disabled, or no longer configured) that hold a copy of this archive, each with what
   * brings it back: what to tell a reader when no destination in use holds one. Empty when there is none.
   */
  public List<String> outOfReach(List<Copy> copiesOfFile) {
    Map<String, String> disabled = targets.disabled();
    return copiesOfFile.stream().filter(c -> (c.state() == Copy.State.VERIFIED || c.state() == Copy.State.COPIED) && c.sentBytes() != null
            && c.sentSha256() != null && targets.find(c.destination()).isEmpty())
        .map(Copy::destination).distinct().sorted()
        .map(d -> disabled.containsKey(d) ? d + " is disabled (" + disabled.get(d) + "): re-enable it by fixing that setting"
            + (targets.fromEnvironment(d) ? " and restarting" : " in Settings")
            : d + " is no longer configured: add it again under the same name (OFFSITE_" + d + "_* variables, or Settings)")
        .toList();
  }

  /**
   * The copies at destinations in use that say what was sent, and that count: verified ones, and those adopted and not read back
   * yet (a fetch reads every byte and compares them with what was sent, so it never takes a damaged one for sound). Those an
   * archive can be fetched from or checked against; the verified ones first.
   */
  private List<Copy> usable(List<Copy> copiesOfFile) {
    return copiesOfFile.stream().filter(c -> (c.state() == Copy.State.VERIFIED || c.awaitingReadBack()) && c.sentBytes() != null
        && c.sentSha256() != null && targets.find(c.destination()).isPresent()).toList();
  }

  private Destination destination(Copy copy) {
    return targets.find(copy.destination()).map(OffsiteTarget::destination).orElse(null);
  }

  private String unusable(Copy copy, Exception e) {
    log.warn("The off-site copy of {} at {} could not be used: {}", LogText.of(copy.fileName()), LogText.of(copy.destination()),
        LogText.of(String.valueOf(e.getMessage())));
    return copy.destination() + ": " + e.getMessage();
  }
}
