package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import java.time.Duration;

/** After each successful backup of a primary, the groups that follow its backups (WHEN=after-backup) are started, once each. */
public final class SyncOnBackup implements Events {
  private final SyncGroups groups;
  private final SyncLauncher launcher;

  public SyncOnBackup(SyncGroups groups, SyncLauncher launcher) {
    this.groups = groups;
    this.launcher = launcher;
  }

  @Override
  public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
    if (backup.successful()) {
      // a backup the group's own run took (its primary had no good one) is that run's source: it starts no second run
      groups.followingBackupsOf(instance.id()).stream().filter(group -> !groups.turn(group).isHeldByCurrentThread())
          .forEach(group -> launcher.launch(group, null));
    }
  }
}
