package io.piholecheckpoint.notify;

import java.util.Locale;

/** What can be notified, each switched by {@code NOTIFY_ON_<NAME>}. */
public enum NotifyEvent {
  BACKUP_FAILED(true, "error"),
  BACKUP_SUCCEEDED(false, "info"),
  RESTORE_SUCCEEDED(true, "info"),
  RESTORE_FAILED(true, "error"),
  UNREACHABLE(true, "error"),
  RECOVERED(true, "info"),
  STALE(true, "warning"),
  SUSPICIOUS(true, "warning"),
  ARCHIVE_PROBLEM(true, "error"),
  LOW_DISK(true, "warning"),
  OFFSITE_FAILED(true, "error"),
  SYNC_FAILED(true, "error"),
  SYNC_PARTIAL(true, "warning"),
  TEST(true, "info");

  private final boolean onByDefault;
  private final String severity;

  NotifyEvent(boolean onByDefault, String severity) {
    this.onByDefault = onByDefault;
    this.severity = severity;
  }

  public boolean onByDefault() {
    return onByDefault;
  }

  /** info, warning or error. */
  public String severity() {
    return severity;
  }

  /** The switch: NOTIFY_ON_BACKUP_FAILED and so on. */
  public String switchVariable() {
    return "NOTIFY_ON_" + name();
  }

  /** backup_failed: the name in webhook bodies and metrics. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
