package io.piholecheckpoint.notify;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.OffsiteAlerts;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.ByteSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns events into notifications without alert storms: a problem (failed backups, an
 * unreachable Pi-hole, stale backups, low disk, a damaged archive, a failing off-site destination, a
 * replica that fails to sync: {@link SyncNotices}) is told once, again only
 * after the cooldown if it persists, and once more when it clears. {@link Deliveries} sends them.
 */
public final class Notifier implements Events, OffsiteAlerts {
  private static final Set<String> UNREACHABLE_CODES = Set.of(PiholeException.Failure.UNREACHABLE.code(),
      PiholeException.Failure.TIMEOUT.code(), PiholeException.Failure.SERVER_UNAVAILABLE.code());

  private final Deliveries deliveries;
  private final Duration cooldown;
  private final Clock clock;
  /** A notification is read far from the pages' "Times in …": its local times name their zone, as a log line's do. */
  private final LocalTimeText times;
  /** Problems being reported, by "kind:subject", with when they were last told. */
  private final Map<String, Instant> open = new ConcurrentHashMap<>();

  /** @param cooldown how long a problem that persists is not told again */
  public Notifier(Deliveries deliveries, Duration cooldown, Clock clock, LocalTimeText times) {
    this.deliveries = deliveries;
    this.cooldown = cooldown;
    this.clock = clock;
    this.times = times.inLog();
  }

  @Override
  public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
    String who = "'" + instance.name() + "'";
    if (backup.successful()) {
      resolve("failed:" + instance.id(), instance, "Backups of " + who + " work again", "The last backup succeeded.");
      resolve("unreachable:" + instance.id(), instance, "Pi-hole " + who + " is reachable again", "The last backup succeeded.");
      resolve("stale:" + instance.id(), instance, "Backups of " + who + " are current again", "The last backup succeeded.");
      if (backup.suspicious()) {
        tell(new Notification(NotifyEvent.SUSPICIOUS, instance.name(), "Suspicious backup of " + who,
            "Backup " + backup.id() + " holds much less than the one before, or no lists at all (" + backup.archive().summary().describe()
                + "). It is kept but flagged; check the Pi-hole before relying on it.", clock.instant()));
      }
      tell(new Notification(NotifyEvent.BACKUP_SUCCEEDED, instance.name(), "Backed up " + who,
          backup.fileName() + " (" + ByteSize.format(backup.archive().sizeBytes()) + ").", clock.instant()));
    } else if (UNREACHABLE_CODES.contains(backup.errorCode())) {
      raise("unreachable:" + instance.id(), new Notification(NotifyEvent.UNREACHABLE, instance.name(), "Pi-hole " + who + " is unreachable",
          backup.errorMessage(), clock.instant()));
    } else {
      raise("failed:" + instance.id(), new Notification(NotifyEvent.BACKUP_FAILED, instance.name(), "Backup of " + who + " failed",
          backup.errorMessage(), clock.instant()));
    }
  }

  @Override
  public void restoreFinished(PiholeInstance target, boolean succeeded, String message) {
    tell(new Notification(succeeded ? NotifyEvent.RESTORE_SUCCEEDED : NotifyEvent.RESTORE_FAILED, target.name(),
        (succeeded ? "Restored '" : "Restore of '") + target.name() + (succeeded ? "'" : "' failed"), message, clock.instant()));
  }

  @Override
  public void archiveProblem(PiholeInstance instance, Backup backup, String problem) {
    raise("archive:" + backup.id(), new Notification(NotifyEvent.ARCHIVE_PROBLEM, instance.name(),
        "Backup " + backup.id() + " of '" + instance.name() + "' is damaged or missing",
        problem + ". Restore from another backup; this one is kept as it is.", clock.instant()));
  }

  @Override
  public void destinationFailing(String destination, String error, Instant since) {
    raise("offsite:" + destination, new Notification(NotifyEvent.OFFSITE_FAILED, null, "Off-site copies to " + destination + " fail",
        "No copy reached " + destination + " since " + times.of(since) + ": " + error + ". They are retried; check the destination and OFFSITE_" + destination
            + "_*.", clock.instant()));
  }

  @Override
  public void destinationDisabled(String destination, String why) {
    raise("offsite:" + destination, new Notification(NotifyEvent.OFFSITE_FAILED, null, "Off-site destination " + destination + " is disabled",
        why + ". Backups go on locally and are not copied there; fix OFFSITE_" + destination + "_* and restart.", clock.instant()));
  }

  @Override
  public void destinationWorks(String destination) {
    resolve("offsite:" + destination, null, "Off-site copies to " + destination + " work again", "A copy was verified there.");
  }

  @Override
  public void copiesDamaged(String destination, List<String> problems) {
    raise("offsite-check:" + destination, new Notification(NotifyEvent.OFFSITE_FAILED, null,
        problems.size() + " off-site cop" + (problems.size() == 1 ? "y" : "ies") + " at " + destination + " vanished or changed",
        String.join("; ", problems) + ". Something other than Pi-hole Checkpoint deleted or changed them there (a lifecycle rule, a person,"
            + " a failing disk).", clock.instant()));
  }

  @Override
  public void copiesCheckOut(String destination) {
    resolve("offsite-check:" + destination, null, "Off-site copies at " + destination + " check out again",
        "Every copy re-checked there is as it was sent.");
  }

  /**
   * Checks what no single event reveals: stale backups and low disk space. Called every few
   * minutes; also clears what recovered.
   *
   * @param freePercent free space in BACKUP_DIR in percent, negative when unknown
   */
  public void checkConditions(HealthReport report, double freePercent, int warnPercent) {
    for (HealthReport.InstanceHealth i : report.instances()) {
      String key = "stale:" + i.id();
      if (i.stale()) {
        raise(key, new Notification(NotifyEvent.STALE, i.name(), "Backups of '" + i.name() + "' are stale",
            "No successful backup " + (i.lastSuccessAt() == null ? "yet" : "since " + times.of(i.lastSuccessAt()))
                + ". Check the instance's status on the dashboard.", clock.instant()));
      } else {
        resolve(key, null, "Backups of '" + i.name() + "' are current again", "A backup succeeded.");
      }
    }
    if (freePercent >= 0 && freePercent < warnPercent) {
      raise("disk", new Notification(NotifyEvent.LOW_DISK, null, "Low disk space for backups",
          "Only %.1f %% free in the backup directory (warning below %d %%). Free space there or point BACKUP_DIR at a larger disk."
              .formatted(freePercent, warnPercent), clock.instant()));
    } else if (freePercent >= 0) {
      resolve("disk", null, "Disk space for backups is fine again", "%.1f %% free in the backup directory.".formatted(freePercent));
    }
  }

  /** A problem: told now if new or past the cooldown, otherwise only remembered. */
  void raise(String key, Notification n) {
    Instant now = clock.instant();
    Instant last = open.get(key);
    if (last != null && now.isBefore(last.plus(cooldown))) {
      return;
    }
    open.put(key, now);
    tell(last == null ? n : new Notification(n.event(), n.instance(), "Still: " + n.title(), n.message(), n.at()));
  }

  /** A problem that cleared: "recovered", once, and only if it had been told. */
  void resolve(String key, PiholeInstance instance, String title, String message) {
    if (open.remove(key) != null) {
      tell(new Notification(NotifyEvent.RECOVERED, instance == null ? null : instance.name(), title, message, clock.instant()));
    }
  }

  private void tell(Notification n) {
    deliveries.tell(n);
  }
}
