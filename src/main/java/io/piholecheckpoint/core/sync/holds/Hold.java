package io.piholecheckpoint.core.sync.holds;

import io.piholecheckpoint.core.instance.PiholeInstance;

/**
 * Why no replica may be synced now, and the code its record carries: {@code primary_suspicious} (the primary's newest backup is
 * flagged, or would empty the replicas' lists) or {@code primary_unreadable} (its archive is damaged or gone on this disk).
 */
public record Hold(String code, String why) {
  /** The primary's newest backup cannot be read here ({@code what}: " is missing …" or " is damaged …"): nothing may be sent. */
  public static Hold unreadable(PiholeInstance primary, long backupId, String what) {
    return new Hold("primary_unreadable", "held: nothing was sent — the archive of backup " + backupId + ", the newest of the primary '"
        + primary.name() + "'," + what + ", and an older backup would sync the replicas back to what the primary held before it. Back the primary up"
        + " again (the next run syncs from that backup), or put the archive back and Verify backup " + backupId);
  }
}
