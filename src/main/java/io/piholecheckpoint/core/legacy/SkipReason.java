package io.piholecheckpoint.core.legacy;

/**
 * Why a record of the original was not imported, as Settings groups them (each record's details
 * are in the log). Stored by name: a reason is never renamed, only added.
 */
public enum SkipReason {
  NO_TIME("no readable created_at"),
  NO_STATUS("a status neither success nor failed"),
  NO_ARCHIVE_NAME("no archive name Pi-hole Checkpoint 1.x writes"),
  ARCHIVE_TAKEN("the archive of a record already imported"),
  NO_PIHOLE("no Pi-hole that was imported (an unknown config_id, or one past the first 1,000 Pi-holes)"),
  FILE_NAME_UNREPRESENTABLE("a file name this system's locale cannot hold (start with LANG=C.UTF-8)"),
  UNREADABLE("an error while it was read (named in the log)"),
  /** Skipped by an import of an earlier version, which kept no reason. */
  UNRECORDED("a reason not recorded");

  private final String text;

  SkipReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The reason stored as {@code name}; {@link #UNRECORDED} for none or one unknown. */
  public static SkipReason of(String name) {
    for (SkipReason r : values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return UNRECORDED;
  }
}
