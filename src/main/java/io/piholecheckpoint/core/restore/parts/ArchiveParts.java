package io.piholecheckpoint.core.restore.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Which of the two files a restore takes its parts from an archive holds. Read from the ZIP's
 * central directory only: an archive joins the catalogue without gravity.db (flagged suspicious,
 * but kept), and a restore of its lists would then import nothing and remove every list.
 *
 * @param lists it holds etc/pihole/gravity.db: the groups, adlists, domains and clients
 * @param config it holds etc/pihole/pihole.toml: the local DNS records, CNAMEs and every setting
 */
public record ArchiveParts(boolean lists, boolean config) {
  static final String GRAVITY = io.piholecheckpoint.core.archive.GravityEntry.PATH;
  static final String CONFIG = "etc/pihole/pihole.toml";

  public static ArchiveParts of(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      return new ArchiveParts(zip.getEntry(GRAVITY) != null, zip.getEntry(CONFIG) != null);
    }
  }

  /** Whether this archive holds every file {@code parts} are restored from: what a restore form may offer. */
  public boolean holds(RestoreParts parts) {
    return !(parts.lists() && !lists) && !((parts.localDns() || parts.settings() || parts.identity()) && !config);
  }

  /**
   * @throws RestoreRefusedException naming what is missing and what to choose instead, when the
   *     parts ask for something this archive does not hold
   */
  public void require(long backupId, RestoreMode mode, RestoreParts parts) {
    String asked = mode == RestoreMode.CUSTOM ? "the ticked parts" : "mode " + mode.id();
    if (parts.lists() && !lists) {
      throw new RestoreRefusedException(("backup %d has no lists (no gravity.db in its archive): restoring it with %s would remove every group,"
          + " adlist, domain and client from the Pi-hole; choose a mode that does not touch them: custom with only localDns and/or settings"
          + " ticked").formatted(backupId, asked));
    }
    if ((parts.localDns() || parts.settings() || parts.identity()) && !config) {
      throw new RestoreRefusedException(("backup %d has no settings (no pihole.toml in its archive): %s cannot restore local DNS or settings"
          + " from it; choose mode lists, which does not touch them").formatted(backupId, asked));
    }
  }
}
