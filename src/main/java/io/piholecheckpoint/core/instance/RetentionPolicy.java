package io.piholecheckpoint.core.instance;

import java.util.ArrayList;
import java.util.List;

/**
 * Which successful backups of an instance to keep. {@code maxBackups} and {@code maxAgeDays}
 * are limits (0 = none); the {@code keep*} buckets keep, beyond those limits, the newest backup
 * of each of the last N days, weeks and months. Whatever they say, the newest good backup and
 * pinned backups are kept.
 */
public record RetentionPolicy(int maxBackups, int maxAgeDays, int keepDaily, int keepWeekly, int keepMonthly) {

  public static final RetentionPolicy DEFAULT = new RetentionPolicy(10, 30, 0, 0, 0);

  public RetentionPolicy {
    if (maxBackups < 0 || maxAgeDays < 0 || keepDaily < 0 || keepWeekly < 0 || keepMonthly < 0) {
      throw new IllegalArgumentException("retention settings must be 0 (none) or more");
    }
  }

  public RetentionPolicy(int maxBackups, int maxAgeDays) {
    this(maxBackups, maxAgeDays, 0, 0, 0);
  }

  /** E.g. "keeps 10 backups / 30 days, never fewer than 1". */
  public String describe() {
    String count = maxBackups == 0 ? "all backups" : maxBackups + (maxBackups == 1 ? " backup" : " backups");
    String age = maxAgeDays == 0 ? "" : " / " + maxAgeDays + (maxAgeDays == 1 ? " day" : " days");
    List<String> buckets = new ArrayList<>();
    if (keepDaily > 0) {
      buckets.add(keepDaily + " daily");
    }
    if (keepWeekly > 0) {
      buckets.add(keepWeekly + " weekly");
    }
    if (keepMonthly > 0) {
      buckets.add(keepMonthly + " monthly");
    }
    String extra = buckets.isEmpty() ? "" : ", plus " + String.join(", ", buckets);
    return "keeps " + count + age + extra + ", never fewer than 1";
  }
}
