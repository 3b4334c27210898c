package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.units.LogText;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After every successful backup, its copies are queued (one row each, committed before this
 * returns) and the scheduler's off-site job is asked to run now rather than at its next minute.
 * After a backup is deleted by hand, its copies are marked to be deleted at their destinations, now
 * too.
 */
public final class CopyOnBackup implements Events {
  private static final Logger log = LoggerFactory.getLogger(CopyOnBackup.class);
  private final OffsiteService offsite;
  private final OffsiteCatalog catalog;
  private final Runnable wake;

  public CopyOnBackup(OffsiteService offsite, OffsiteCatalog catalog, Runnable wake) {
    this.offsite = offsite;
    this.catalog = catalog;
    this.wake = wake;
  }

  @Override
  public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
    if (backup.successful() && !offsite.targets().isEmpty()) {
      try {
        offsite.queue(instance, backup);
      } catch (RuntimeException e) {
        Optional<String> trouble = DatabaseTrouble.describe(e);
        if (trouble.isEmpty()) {
          throw e; // a fault of ours: Events logs it whole
        }
        // a database that is busy or away is no bug: one line, no trace. Nothing queues these copies again by itself but the
        // off-site run's catch-up, which queues a backup no finished backup queued: woken below, it runs now and then each minute
        log.warn("Queueing the off-site copies of backup {} of '{}' failed: {}. The off-site job's catch-up queues them at its next"
            + " run (at once, then each minute) once the database answers; the backup itself is kept", backup.id(),
            LogText.of(instance.name()), trouble.get());
      }
      wake.run();
    }
  }

  /** The manifests beside its copies say whether it is pinned: written again at the run this asks for, not a minute later. */
  @Override
  public void backupPinned(Backup backup) {
    if (!catalog.copiesOf(backup.id()).isEmpty()) {
      wake.run();
    }
  }

  @Override
  public void backupDeleted(Backup backup) {
    if (backup.successful() && offsite.deleteCopiesOf(backup) > 0) {
      wake.run();
    }
  }
}
