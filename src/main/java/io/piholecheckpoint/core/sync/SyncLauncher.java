package io.piholecheckpoint.core.sync;

/** Starts a group's sync on the scheduler's thread, after any run of it in progress (Quartz implements it). */
public interface SyncLauncher {

  /**
   * @param ticketId the run asked for through the API, or null for one after a backup of the primary (which a
   *     process that does not run the schedules leaves out: the one that does starts it)
   * @throws io.piholecheckpoint.core.backup.catalog.BackupConflictException for a ticket, when this process does not run the scheduler
   */
  void launch(String groupId, String ticketId);
}
