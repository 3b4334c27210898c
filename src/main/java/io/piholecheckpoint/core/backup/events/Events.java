package io.piholecheckpoint.core.backup.events;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened, for those who report it: metrics, notifications, dead-man pings. Called on the
 * thread doing the work, so a listener must return quickly (hand slow work to a thread of its
 * own); what it throws is logged and never fails the backup or restore.
 */
public interface Events {
  Events NONE = new Events() {
  };

  default void backupStarted(PiholeInstance instance, Backup.Trigger trigger) {
  }

  /**
   * A run ended: {@code backup} is the record written (failed or successful), or for a Pi-hole a SKIP_UNCHANGED run found
   * unchanged, the backup it marked still current as told by {@link Backup#reconfirmedBy} (the run's trigger and times).
   */
  default void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
  }

  default void restoreFinished(PiholeInstance target, boolean succeeded, String message) {
  }

  /**
   * A restore ended unverified: something was sent and its result could not be verified. Told as a failure ({@link
   * #restoreFinished}) to a listener that does not tell the two apart; the metrics count it on its own.
   */
  default void restoreUnverified(PiholeInstance target, String message) {
    restoreFinished(target, false, message);
  }

  /** Retention deleted a backup; {@code rule}: max_backups, max_age or failed_records. */
  default void retentionDeleted(PiholeInstance instance, String rule) {
  }

  /** A backup was pinned, unpinned or accepted on request: what describes it elsewhere (its manifests) says so again. */
  default void backupPinned(Backup backup) {
  }

  /** A backup was deleted on request (its file and record are gone): what was kept of it elsewhere goes too. */
  default void backupDeleted(Backup backup) {
  }

  /** Re-verification found an archive missing or changed. */
  default void archiveProblem(PiholeInstance instance, Backup backup, String problem) {
  }

  /** Every listener hears every event; one that throws does not stop the others. */
  static Events all(List<Events> listeners) {
    Logger log = LoggerFactory.getLogger(Events.class);
    return new Events() {
      private void each(java.util.function.Consumer<Events> call) {
        for (Events listener : listeners) {
          try {
            call.accept(listener);
          } catch (RuntimeException e) {
            log.warn("Reporting an event failed ({}); the backup or restore itself is not affected", e.toString());
          }
        }
      }

      @Override
      public void backupStarted(PiholeInstance instance, Backup.Trigger trigger) {
        each(l -> l.backupStarted(instance, trigger));
      }

      @Override
      public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
        each(l -> l.backupFinished(instance, backup, took));
      }

      @Override
      public void restoreFinished(PiholeInstance target, boolean succeeded, String message) {
        each(l -> l.restoreFinished(target, succeeded, message));
      }

      @Override
      public void restoreUnverified(PiholeInstance target, String message) {
        each(l -> l.restoreUnverified(target, message));
      }

      @Override
      public void retentionDeleted(PiholeInstance instance, String rule) {
        each(l -> l.retentionDeleted(instance, rule));
      }

      @Override
      public void backupPinned(Backup backup) {
        each(l -> l.backupPinned(backup));
      }

      @Override
      public void backupDeleted(Backup backup) {
        each(l -> l.backupDeleted(backup));
      }

      @Override
      public void archiveProblem(PiholeInstance instance, Backup backup, String problem) {
        each(l -> l.archiveProblem(instance, backup, problem));
      }
    };
  }
}
