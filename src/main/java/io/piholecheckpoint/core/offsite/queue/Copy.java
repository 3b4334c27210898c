package io.piholecheckpoint.core.offsite.queue;

import java.time.Instant;

/**
 * One backup's copy at one destination, as the durable queue holds it. It outlives the local
 * backup (whose retention may delete it first): the instance, the file and the backup's time are
 * kept here for the destination's own retention.
 *
 * @param remoteKey where it goes (or went), chosen when it was queued
 * @param sentBytes size of the bytes uploaded (encrypted ones), null before an upload finished
 * @param sentSha256 SHA-256 of those bytes, compared with what the destination reads back
 * @param nextAttemptAt when the queue takes it up again; null when it needs nothing more
 * @param copiedAt when this install's upload of it finished; null while it never uploaded it (a copy adopted from what the
 *     destination holds: its manifest says what was sent)
 * @param damagedAt when it was found not to be what was sent after it had been verified (changed or gone at the destination):
 *     see {@code DamagedCopies}; null otherwise
 */
public record Copy(long id, long backupId, long instanceId, String destination, State state, int attempts, String lastError,
                   String fileName, String remoteKey, Instant backupAt, Long sentBytes, String sentSha256, Instant queuedAt,
                   Instant nextAttemptAt, Instant copiedAt, Instant verifiedAt, Instant failedSince, Instant damagedAt) {

  /** pending → copied (uploaded) → verified (read back equal); failed is retried until it is verified. */
  public enum State { PENDING, COPIED, VERIFIED, FAILED }

  /**
   * A copy adopted from the destination ({@link CopyRepository#adopt}) that was not read back yet: its manifest says what was sent,
   * nothing here has checked that the destination holds it. The queue reads it back (never uploads it, nor writes its manifest
   * again): verified when it is what its manifest says, else failed as damaged. Once verified, or found damaged (then it is
   * sent again like any other), it is an ordinary copy.
   */
  public boolean awaitingReadBack() {
    return state != State.VERIFIED && copiedAt == null && verifiedAt == null && damagedAt == null && sentBytes != null && sentSha256 != null;
  }

  /** A copy found at {@code destination} by an adoption, with what its manifest says was sent: due now, to be read back. */
  public static Copy adopted(long backupId, long instanceId, String destination, String fileName, String remoteKey, Instant backupAt,
                             long sentBytes, String sentSha256, Instant now) {
    return new Copy(0, backupId, instanceId, destination, State.COPIED, 0, null, fileName, remoteKey, backupAt, sentBytes, sentSha256, now, now,
        null, null, null, null);
  }

  public static Copy queued(long backupId, long instanceId, String destination, String fileName, String remoteKey, Instant backupAt, Instant now) {
    return new Copy(0, backupId, instanceId, destination, State.PENDING, 0, null, fileName, remoteKey, backupAt, null, null, now, now, null, null,
        null, null);
  }
}
