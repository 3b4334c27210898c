package io.piholecheckpoint.core.retention;

/**
 * How many successful backups of an instance to keep. Zero means "no limit" for either field.
 * The newest successful backup is always kept, whatever the limits say.
 */
public record RetentionPolicy(int maxBackups, int maxAgeDays) {

  public static final RetentionPolicy DEFAULT = new RetentionPolicy(10, 30);

  public RetentionPolicy {
    if (maxBackups < 0 || maxAgeDays < 0) {
      throw new IllegalArgumentException("retention limits must be 0 (no limit) or more");
    }
  }

  /** E.g. "keeps 10 backups / 30 days, never fewer than 1". */
  public String describe() {
    String count = maxBackups == 0 ? "all backups" : maxBackups + (maxBackups == 1 ? " backup" : " backups");
    String age = maxAgeDays == 0 ? "" : " / " + maxAgeDays + (maxAgeDays == 1 ? " day" : " days");
    return "keeps " + count + age + ", never fewer than 1";
  }
}
