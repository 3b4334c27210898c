package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.instance.InstanceService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/** What backups hold, and how they differ from each other and from a Pi-hole as it is now. */
public class ContentsService {
  private final BackupRepository backups;
  private final InstanceService instances;
  private final ArchiveDownloader downloader;
  private final Clock clock;

  public ContentsService(BackupRepository backups, InstanceService instances, ArchiveDownloader downloader, Clock clock) {
    this.backups = backups;
    this.instances = instances;
    this.downloader = downloader;
    this.clock = clock;
  }

  public ArchiveContents contents(long backupId) {
    return read(successful(backupId));
  }

  /** From {@code backupId} to {@code otherId}: what restoring {@code otherId} over {@code backupId}'s state would change. */
  public ContentDiff diff(long backupId, long otherId) {
    return ContentDiff.between(contents(backupId), contents(otherId));
  }

  /**
   * From the Pi-hole's live state (a fresh export, discarded afterwards) to the backup: what a
   * full restore of it would change.
   */
  public ContentDiff diffAgainstLive(long backupId, long instanceId) {
    ArchiveContents backup = contents(backupId);
    return ContentDiff.between(downloader.liveContents(instances.find(instanceId), clock.instant()), backup);
  }

  private Backup successful(long backupId) {
    Backup backup = backups.findById(backupId).orElseThrow(() -> new BackupNotFoundException("no backup with id " + backupId));
    if (!backup.successful()) {
      throw new BackupNotFoundException("backup " + backupId + " failed and has no archive");
    }
    return backup;
  }

  private ArchiveContents read(Backup backup) {
    try {
      return downloader.archives().contentsOf(backup.archive());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the archive of backup " + backup.id(), e);
    }
  }
}
