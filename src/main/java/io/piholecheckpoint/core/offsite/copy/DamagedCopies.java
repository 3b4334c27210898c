package io.piholecheckpoint.core.offsite.copy;

import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.units.LogText;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what a verified copy found not to be what was sent means, wherever
 * it was found (the daily re-check, a fetch back, a verify): how the difference is said, that the
 * copy is failed and no longer verified ({@link CopyRepository#markDamaged}), and the answer every
 * reader of the backup then gets while its archive is not on this disk — download, contents, diff,
 * restore and its preview, sync and verify alike — a {@link CopyDamagedException}, never "missing".
 */
public final class DamagedCopies {
  private static final Logger log = LoggerFactory.getLogger(DamagedCopies.class);
  private final CopyRepository copies;
  private final Clock clock;

  public DamagedCopies(CopyRepository copies, Clock clock) {
    this.copies = copies;
    this.clock = clock;
  }

  /**
   * How what the destination holds differs from what was sent; empty when it is what was sent.
   *
   * @param there what is stored under the copy's key (size and SHA-256 read back), null when nothing is
   * @param where the destination as {@link Destination#describe()} says it
   */
  public static Optional<String> difference(Copy copy, RemoteObject there, String where) {
    if (there == null) {
      return Optional.of("vanished from " + where);
    }
    if (Long.valueOf(there.size()).equals(copy.sentBytes()) && there.sha256() != null && there.sha256().equalsIgnoreCase(copy.sentSha256())) {
      return Optional.empty();
    }
    return Optional.of("changed at " + where + ": " + unlike(there.size(), there.sha256(), copy.sentBytes(), copy.sentSha256()));
  }

  /**
   * How bytes read back differ from those sent, in words that say what was found: a copy cut short (or read only in part) is
   * smaller than what was sent, not a checksum that does not match; the checksums are compared only when the sizes agree.
   *
   * @param sha256 of the bytes read back; null when the destination gave none
   */
  public static String unlike(long size, String sha256, Long sentBytes, String sentSha256) {
    if (sentBytes == null || size != sentBytes) {
      return "it is " + (sentBytes != null && size < sentBytes ? "smaller" : "larger") + " than what was sent (" + size + " bytes; sent "
          + sentBytes + " bytes)";
    }
    if (sha256 == null) {
      return "its SHA-256 could not be read back to compare with what was sent (" + size + " bytes, as sent)";
    }
    return "its checksum does not match what was sent (SHA-256 " + sha256 + "; sent SHA-256 " + sentSha256 + ", both " + size + " bytes)";
  }

  /**
   * Records the copy as damaged: failed with what was found, no longer verified, sent again at once
   * when its local archive is still here, else given up.
   *
   * @param how what found it ("re-checked", "fetched", "verified")
   * @return the error recorded on the copy
   */
  public String record(Copy copy, String found, String how, boolean sendAgain) {
    return record(copy, found, how, sendAgain ? null : "its local archive is gone too");
  }

  /** @param notSentBecause why it cannot be sent again ("its local archive is damaged too"); null when it is sent again */
  public String record(Copy copy, String found, String how, String notSentBecause) {
    Instant now = clock.instant();
    // no time here: the copy's damagedAt says when it was found, and "(verified at <then>)" read as when it was last sound
    String error = "failed verification (found when " + how + "): " + copy.remoteKey() + " " + found + "; "
        + (notSentBecause == null ? "it is sent again" : "it cannot be sent again: " + notSentBecause);
    copies.markDamaged(copy.id(), error, now, notSentBecause == null ? now : null);
    log.warn("Off-site copy {} at {}: {}", LogText.of(copy.remoteKey()), LogText.of(copy.destination()), LogText.of(error));
    return error;
  }

  /**
   * The answer to a reader of backup {@code backupId} whose archive is not on this disk, when no
   * copy of it is verified (nor adopted and waiting to be read back) and some were found damaged: what each was found to be,
   * and what to do.
   *
   * @param copiesOfFile every copy of the archive's file, as {@link CopyRepository#findByFileName} reads them
   */
  public static Optional<CopyDamagedException> refusal(long backupId, String fileName, List<Copy> copiesOfFile) {
    // one adopted and not read back yet may be sound: it is tried (a fetch checks every byte) before the backup is refused
    if (copiesOfFile.stream().anyMatch(c -> c.state() == Copy.State.VERIFIED || c.awaitingReadBack())) {
      return Optional.empty();
    }
    List<Copy> damaged = copiesOfFile.stream().filter(c -> c.damagedAt() != null).toList();
    if (damaged.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(foundNow(backupId, fileName, damaged.stream().map(c -> c.destination() + ": " + c.lastError()).toList()));
  }

  /** The same answer, for copies found damaged just now: {@code found} says, per copy, "DESTINATION: error". */
  public static CopyDamagedException foundNow(long backupId, String fileName, List<String> found) {
    return new CopyDamagedException("the archive of backup " + backupId + " (" + fileName + ") is not on this disk, and its off-site "
        + (found.size() == 1 ? "copy" : "copies") + " failed verification, so nothing is read from "
        + (found.size() == 1 ? "it" : "them") + " (" + found.stream().collect(Collectors.joining("; ")) + "). Restore or compare another backup"
        + " of this Pi-hole; if you have this archive elsewhere (an old disk, a copy of your own), put it back in BACKUP_DIR as " + fileName
        + " and it is used again");
  }
}
