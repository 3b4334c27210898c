package io.piholecheckpoint.notify;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.sync.runs.SyncOutcomes;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import java.time.Clock;

/**
 * Sync runs as notifications, with the {@link Notifier}'s cooldown: a replica that fails to sync
 * ({@code SYNC_FAILED}) or that refuses keys ({@code SYNC_PARTIAL}) is told once, again after the
 * cooldown if it persists, and "recovered" once when a run succeeds. A run that changed nothing
 * ({@code in_sync}) is news only when it clears a problem.
 */
public final class SyncNotices implements SyncOutcomes {
  private final Notifier notifier;
  private final Clock clock;

  public SyncNotices(Notifier notifier, Clock clock) {
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public void finished(SyncRun run, PiholeInstance replica) {
    String who = "'" + replica.name() + "' (sync group " + run.group() + ")";
    String failed = "sync:" + run.group() + ":" + replica.id();
    String partial = "sync-partial:" + run.group() + ":" + replica.id();
    switch (run.outcome()) {
      case FAILED -> notifier.raise(failed, new Notification(NotifyEvent.SYNC_FAILED, replica.name(), "Sync of " + who + " failed",
          run.message() + (run.code() == null ? "" : " [" + run.code() + "]"), clock.instant()));
      case PARTIAL -> {
        notifier.resolve(failed, replica, "Sync of " + who + " works again", "The replica was synced, but for the keys it refused.");
        notifier.raise(partial, new Notification(NotifyEvent.SYNC_PARTIAL, replica.name(), "Sync of " + who + " is partial", run.message(),
            clock.instant()));
      }
      case SYNCED, IN_SYNC -> {
        notifier.resolve(failed, replica, "Sync of " + who + " works again", "The replica is like its primary: " + run.message() + ".");
        notifier.resolve(partial, replica, "Sync of " + who + " is complete again", "The replica no longer refuses a key: " + run.message() + ".");
      }
      default -> {
        // an outcome that is neither news nor a recovery
      }
    }
  }
}
