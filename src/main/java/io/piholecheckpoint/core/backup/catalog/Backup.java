package io.piholecheckpoint.core.backup.catalog;

import io.piholecheckpoint.core.archive.Archive;
import java.time.Instant;

/**
 * One backup attempt. A successful one holds a verified {@link Archive}; a failed one has
 * none and says why.
 *
 * @param stillCurrentAt the last time a run found the Pi-hole unchanged since this backup, or
 *     null; retention counts the backup's age from it
 * @param suspicious the archive lost most of what the previous one held; kept, but it never
 *     pushes older backups out of retention
 * @param fileMissing its file vanished from the backup directory
 * @param verifyError what the last re-check of its file found wrong, or null
 * @param deleting its deletion has been decided and claimed (retention or a request): it cannot be pinned,
 *     and its archive is no longer opened
 * @param accepted it was flagged suspicious and a person accepted it as the Pi-hole's real content: no longer suspicious,
 *     so it is the baseline of later backups, counts in retention and can be synced from
 * @param node the node (NODE_NAME) that ran it; null for one recorded before nodes were, or not run by a node (an upload, an adoption)
 */
public record Backup(
    long id,
    long instanceId,
    Status status,
    Trigger trigger,
    Archive archive,
    String errorCode,
    String errorMessage,
    Instant startedAt,
    Instant finishedAt,
    Instant stillCurrentAt,
    boolean pinned,
    boolean suspicious,
    boolean fileMissing,
    String verifyError,
    boolean deleting,
    String node,
    boolean accepted) {

  /** A backup nobody accepted. */
  public Backup(long id, long instanceId, Status status, Trigger trigger, Archive archive, String errorCode, String errorMessage,
      Instant startedAt, Instant finishedAt, Instant stillCurrentAt, boolean pinned, boolean suspicious, boolean fileMissing,
      String verifyError, boolean deleting, String node) {
    this(id, instanceId, status, trigger, archive, errorCode, errorMessage, startedAt, finishedAt, stillCurrentAt, pinned, suspicious,
        fileMissing, verifyError, deleting, node, false);
  }

  /** A backup nobody is deleting. */
  public Backup(long id, long instanceId, Status status, Trigger trigger, Archive archive, String errorCode, String errorMessage,
      Instant startedAt, Instant finishedAt, Instant stillCurrentAt, boolean pinned, boolean suspicious, boolean fileMissing,
      String verifyError) {
    this(id, instanceId, status, trigger, archive, errorCode, errorMessage, startedAt, finishedAt, stillCurrentAt, pinned, suspicious,
        fileMissing, verifyError, false);
  }

  /** A backup of no recorded node. */
  public Backup(long id, long instanceId, Status status, Trigger trigger, Archive archive, String errorCode, String errorMessage,
      Instant startedAt, Instant finishedAt, Instant stillCurrentAt, boolean pinned, boolean suspicious, boolean fileMissing,
      String verifyError, boolean deleting) {
    this(id, instanceId, status, trigger, archive, errorCode, errorMessage, startedAt, finishedAt, stillCurrentAt, pinned, suspicious,
        fileMissing, verifyError, deleting, null);
  }

  public enum Status { SUCCESS, FAILED }

  /**
   * RECOVERED: an archive of ours found in the backup directory without its record;
   * IMPORTED: an archive a person uploaded (e.g. downloaded from the Pi-hole's own UI);
   * OFFSITE: adopted from an off-site destination's manifest, its archive fetched when first needed;
   * SAFETY: the backup a restore or sync takes of a Pi-hole before it changes it (stored pinned), not a person's "Back up now".
   */
  public enum Trigger { MANUAL, SCHEDULED, RECOVERED, IMPORTED, OFFSITE, SAFETY }

  public static Backup succeeded(long instanceId, Trigger trigger, Archive archive, boolean suspicious, Instant startedAt, Instant finishedAt) {
    return new Backup(0, instanceId, Status.SUCCESS, trigger, archive, null, null, startedAt, finishedAt, null, false, suspicious, false, null);
  }

  public static Backup failed(long instanceId, Trigger trigger, String code, String message, Instant startedAt, Instant finishedAt) {
    return new Backup(0, instanceId, Status.FAILED, trigger, null, code, message, startedAt, finishedAt, null, false, false, false, null);
  }

  public Backup withId(long newId) {
    return new Backup(newId, instanceId, status, trigger, archive, errorCode, errorMessage, startedAt, finishedAt, stillCurrentAt, pinned, suspicious, fileMissing, verifyError,
        deleting, node, accepted);
  }

  /** The record stored pinned from the start: no retention run ever sees it unpinned. */
  public Backup asPinned() {
    return new Backup(id, instanceId, status, trigger, archive, errorCode, errorMessage, startedAt, finishedAt, stillCurrentAt, true, suspicious, fileMissing,
        verifyError, deleting, node, accepted);
  }

  /**
   * The run that found the Pi-hole unchanged since this backup, which it marked still current: this archive, with that run's
   * trigger, its start and its end (when it marked it). Never stored: what the run's listeners are told.
   */
  public Backup reconfirmedBy(Trigger run, Instant runStarted) {
    return new Backup(id, instanceId, status, run, archive, errorCode, errorMessage, runStarted, currentAsOf(), stillCurrentAt, pinned, suspicious,
        fileMissing, verifyError, deleting, node, accepted);
  }

  /** The record as run by that node. */
  public Backup ranBy(String runner) {
    return new Backup(id, instanceId, status, trigger, archive, errorCode, errorMessage, startedAt, finishedAt, stillCurrentAt, pinned, suspicious, fileMissing,
        verifyError, deleting, runner, accepted);
  }

  /**
   * Whether its archive came from the Pi-hole (scheduled, manual, a safety backup, or such a backup recovered or adopted): every
   * one but an upload, which holds what someone had elsewhere. Only these say what the Pi-hole holds, so only these are what a
   * backup downloaded from it is judged against, and what /health's last success and retention's newest good one count.
   */
  public boolean takenFromThePihole() {
    return trigger != Trigger.IMPORTED;
  }

  public boolean successful() {
    return status == Status.SUCCESS;
  }

  public String fileName() {
    return archive == null ? null : archive.fileName();
  }

  /** When the Pi-hole was last known to look like this backup. */
  public Instant currentAsOf() {
    return stillCurrentAt != null && stillCurrentAt.isAfter(finishedAt) ? stillCurrentAt : finishedAt;
  }
}
