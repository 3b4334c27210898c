package io.piholecheckpoint.core.retention;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.retention.RetentionService.Deletion;
import io.piholecheckpoint.core.retention.RetentionService.Doomed;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which successful backups a policy no longer keeps. A backup goes when it is beyond
 * MAX_BACKUPS or older than MAX_AGE_DAYS (age counted from when the Pi-hole was last seen
 * unchanged), unless a KEEP_* bucket keeps it. Never: the newest good backup, the newest good one taken from
 * the Pi-hole (an uploaded archive is none: it says nothing of what the Pi-hole holds now), pinned ones.
 * Suspicious backups take no place in MAX_BACKUPS, so they never push good ones out.
 */
public final class RetentionRules {
  private RetentionRules() {
  }

  /**
   * Each backup is decided from the ones before it in {@code newestFirst} alone (its place among the
   * counted ones, the newest good one, the newest in its bucket), so a prefix of the history that
   * reaches the oldest backup that could go gives the same answer as the whole history.
   *
   * @param newestFirst the instance's successful backups, newest first: all, or such a prefix
   */
  public static List<Deletion> expired(List<Backup> newestFirst, RetentionPolicy policy, Instant now, ZoneId zone) {
    Backup newestGood = newestFirst.stream().filter(b -> !b.suspicious()).findFirst().orElse(null);
    Backup newestTaken = newestFirst.stream().filter(b -> !b.suspicious() && b.takenFromThePihole()).findFirst().orElse(null);
    Set<Long> bucketKept = bucketKeepers(newestFirst, policy, now, zone);
    Instant cutoff = policy.maxAgeDays() == 0 ? Instant.MIN : now.minus(Duration.ofDays(policy.maxAgeDays()));
    List<Deletion> expired = new ArrayList<>();
    int counted = 0;
    for (Backup b : newestFirst) {
      boolean countsTowardMax = !b.suspicious() && !b.pinned();
      if (countsTowardMax) {
        counted++;
      }
      if (b == newestGood || b == newestTaken || b.pinned() || bucketKept.contains(b.id())) {
        continue;
      }
      if (countsTowardMax && policy.maxBackups() > 0 && counted > policy.maxBackups()) {
        expired.add(beyondMaxBackups(Doomed.of(b), policy));
      } else if (b.currentAsOf().isBefore(cutoff)) {
        expired.add(olderThanMaxAge(Doomed.of(b), policy));
      }
    }
    return expired;
  }

  /**
   * Whether each backup's fate is its own rank and age alone: no KEEP_* bucket keeps it for being the
   * newest of its day, week or month. The repository can then find the expired ones by itself
   * ({@code BackupRepository#findExpiredWithoutKeepers}).
   */
  static boolean withoutKeepers(RetentionPolicy policy) {
    return policy.keepDaily() == 0 && policy.keepWeekly() == 0 && policy.keepMonthly() == 0;
  }

  static Deletion beyondMaxBackups(Doomed b, RetentionPolicy policy) {
    return new Deletion(b, "max_backups", "beyond MAX_BACKUPS=" + policy.maxBackups());
  }

  static Deletion olderThanMaxAge(Doomed b, RetentionPolicy policy) {
    return new Deletion(b, "max_age", "older than MAX_AGE_DAYS=" + policy.maxAgeDays());
  }

  /** The newest good backup of each of the last N days, weeks and months (in TIME_ZONE). */
  private static Set<Long> bucketKeepers(List<Backup> newestFirst, RetentionPolicy policy, Instant now, ZoneId zone) {
    Set<Long> kept = new HashSet<>();
    LocalDate today = now.atZone(zone).toLocalDate();
    keepNewestPerBucket(newestFirst, zone, policy.keepDaily(), d -> d, today.minusDays(policy.keepDaily() - 1L), kept);
    Function<LocalDate, LocalDate> monday = d -> d.minusDays(d.getDayOfWeek().getValue() - 1L);
    keepNewestPerBucket(newestFirst, zone, policy.keepWeekly(), monday, monday.apply(today).minusWeeks(policy.keepWeekly() - 1L), kept);
    keepNewestPerBucket(newestFirst, zone, policy.keepMonthly(), d -> d.withDayOfMonth(1),
        today.withDayOfMonth(1).minusMonths(policy.keepMonthly() - 1L), kept);
    return kept;
  }

  private static void keepNewestPerBucket(List<Backup> newestFirst, ZoneId zone, int buckets, Function<LocalDate, LocalDate> bucketOf,
      LocalDate firstBucket, Set<Long> kept) {
    if (buckets == 0) {
      return;
    }
    Set<LocalDate> filled = new HashSet<>();
    for (Backup b : newestFirst) {
      LocalDate bucket = bucketOf.apply(b.finishedAt().atZone(zone).toLocalDate());
      if (!b.suspicious() && !bucket.isBefore(firstBucket) && filled.add(bucket)) {
        kept.add(b.id());
      }
    }
  }
}
