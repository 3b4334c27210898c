package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Duration;

/**
 * After every successful backup, its copies are queued (one row each, committed before this
 * returns) and the scheduler's off-site job is asked to run now rather than at its next minute.
 */
public final class CopyOnBackup implements Events {
  private final OffsiteService offsite;
  private final Runnable wake;

  public CopyOnBackup(OffsiteService offsite, Runnable wake) {
    this.offsite = offsite;
    this.wake = wake;
  }

  @Override
  public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
    if (backup.successful() && !offsite.targets().isEmpty()) {
      offsite.queue(instance, backup);
      wake.run();
    }
  }
}
