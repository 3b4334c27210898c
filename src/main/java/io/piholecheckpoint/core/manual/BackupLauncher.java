package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;

/**
 * Starts a queued manual backup on another thread, in turn with the instance's scheduled runs:
 * the port the scheduler implements, so that one place serialises the backups of an instance.
 */
public interface BackupLauncher {
  /**
   * Has {@link BackupTickets#run(String)} called for the ticket once the instance's backups are free.
   *
   * @throws BackupConflictException when backups cannot run in this process (e.g. its scheduler is on standby)
   */
  void launch(long instanceId, String ticketId);
}
