package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface BackupMapper {

  void insert(@Param("b") Backup backup);

  /** A run's end under its {@link RunKeys#of(Backup) key}: in place of an interrupted record of the run, never twice. */
  void insertEnd(@Param("b") Backup backup, @Param("key") String key);

  long idOfRun(@Param("key") String key);

  long lastInsertId();

  BackupRow findById(long id);

  BackupRow findByFileName(String fileName);

  int countDeletedWithCopyAt(@Param("destination") String destination, @Param("remoteKey") String remoteKey);

  /** Newest first; {@code status} null for every status. */
  List<BackupRow> findExpiredFailures(@Param("instanceId") long instanceId, @Param("cutoff") java.time.Instant cutoff);

  List<BackupRow> findByInstance(@Param("instanceId") long instanceId, @Param("status") Backup.Status status, @Param("limit") int limit);

  List<BackupRow> findPage(@Param("instanceId") long instanceId, @Param("before") Long before, @Param("status") Backup.Status status,
      @Param("trigger") Backup.Trigger trigger, @Param("limit") int limit);

  /** findPage's first success, its size alone; null when there is none. */
  Long findLatestSuccessSize(@Param("instanceId") long instanceId);

  List<BackupRow> findAllSuccessful();

  List<String> findUnsuccessfulFileNames();

  List<BackupRow> findBaselines(@Param("instanceId") long instanceId);

  List<BackupRow> findUpToOldestExpirable(@Param("instanceId") long instanceId, @Param("maxBackups") int maxBackups,
      @Param("cutoff") Instant cutoff);

  /** A row retention deletes, and whether MAX_BACKUPS lets it go (1; else MAX_AGE_DAYS). */
  record ExpiredRow(long id, String fileName, Instant finishedAt, int beyondMax) {
  }

  List<ExpiredRow> findExpiredWithoutKeepers(@Param("instanceId") long instanceId, @Param("maxBackups") int maxBackups,
      @Param("cutoff") Instant cutoff);

  BackupRow findLatest();

  BackupRow findLastVerdict(@Param("instanceId") long instanceId);

  BackupRepository.FileProblems countFileProblems();

  /** Per instance; {@code instanceId} null for all. */
  List<BackupRepository.Stats> stats(@Param("instanceId") Long instanceId);

  List<BackupRepository.Totals> totals();

  /** One row per instance: its newest archive sizes, newest first, comma-separated (null when none). */
  record SizeSeries(long instanceId, String sizes) {
  }

  List<SizeSeries> recentSizes(@Param("instanceIds") List<Long> instanceIds, @Param("perInstance") int perInstance);

  List<BackupRepository.SizePoint> sizeHistory(@Param("instanceId") long instanceId, @Param("limit") int limit);

  List<BackupRow> findRecentPerInstance(@Param("instanceIds") List<Long> instanceIds, @Param("perInstance") int perInstance);

  void markStillCurrent(@Param("id") long id, @Param("at") Instant at);

  int setPinned(@Param("id") long id, @Param("pinned") boolean pinned);

  int accept(@Param("id") long id);

  int unaccept(@Param("id") long id);

  int countCopiesBeingDeleted(@Param("id") long id);

  int claimForDeletion(@Param("id") long id, @Param("evenPinned") boolean evenPinned);

  /** The first queued or running restore of the backup: backupId, restoreId, state. */
  io.piholecheckpoint.core.backup.catalog.DeletionClaim.Reader findRestoreReading(@Param("id") long id);

  void releaseDeletion(@Param("id") long id);

  List<BackupRow> findClaimedForDeletion();

  void setFileMissing(@Param("id") long id, @Param("missing") boolean missing);

  void setVerifyError(@Param("id") long id, @Param("error") String error);

  int delete(long id);
}
