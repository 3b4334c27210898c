package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.offsite.queue.Copy;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface OffsiteCopyMapper {
  /** 1 when queued, 0 when a copy of the same backup and destination was there. */
  int insertIfAbsent(@Param("c") Copy copy);

  long newestBackupId();

  long newestGoodBackupId(@Param("instanceId") long instanceId);

  Long caughtUpThrough(@Param("destination") String destination, @Param("instanceId") long instanceId);

  void markCaughtUp(@Param("destination") String destination, @Param("instanceId") long instanceId, @Param("through") long through,
                    @Param("at") Instant at);

  void insertAdopted(@Param("c") Copy copy, @Param("manifestPinned") int manifestPinned);

  List<Copy> findByFileName(@Param("fileName") String fileName);

  List<Copy> findDue(@Param("destinations") Collection<String> destinations, @Param("now") Instant now, @Param("limit") int limit);

  Copy findById(@Param("id") long id);

  List<Copy> findByBackup(@Param("backupId") long backupId);

  List<Copy> findByBackups(@Param("backupIds") Collection<Long> backupIds);

  List<Copy> findVerified(@Param("destination") String destination, @Param("instanceId") long instanceId);

  List<Copy> findClaimed(@Param("destination") String destination, @Param("instanceId") long instanceId);

  int holdUnpinnedBackup(@Param("backupId") long backupId);

  int countBackup(@Param("backupId") long backupId);

  int claimForDeletion(@Param("id") long id);

  void releaseDeletion(@Param("id") long id);

  int releaseClaimsExcept(@Param("destinations") Collection<String> destinations);

  int markBackupDeleted(@Param("backupId") long backupId);

  int markGone(@Param("id") long id);

  void markCopied(@Param("id") long id, @Param("sentBytes") long sentBytes, @Param("sentSha256") String sentSha256, @Param("at") Instant at);

  void markVerified(@Param("id") long id, @Param("at") Instant at);

  List<Copy> findManifestsBehindPin(@Param("destination") String destination, @Param("limit") int limit);

  void markManifestPinned(@Param("id") long id, @Param("pinned") int pinned, @Param("accepted") int accepted);

  List<Copy> findDamaged(@Param("destination") String destination);

  List<Copy> findToRecheck(@Param("destination") String destination, @Param("overdue") Instant overdue, @Param("atLeast") int atLeast);

  void markChecked(@Param("id") long id, @Param("at") Instant at);

  void markFailed(@Param("id") long id, @Param("error") String error, @Param("at") Instant at, @Param("next") Instant next);

  void markUnsendable(@Param("id") long id, @Param("error") String error, @Param("next") Instant next);

  void markDamaged(@Param("id") long id, @Param("error") String error, @Param("at") Instant at, @Param("next") Instant next);

  void delete(@Param("id") long id);

  int sendAgain(@Param("backupId") long backupId, @Param("now") Instant now);

  List<Long> givenUpBackups();

  int dropUnmadeOfBackupsGone();

  void dueNow(@Param("destination") String destination, @Param("now") Instant now);

  void holdForPassphrase(@Param("id") long id, @Param("why") String why, @Param("until") Instant until);

  void heldDueNow(@Param("destination") String destination, @Param("now") Instant now);

  void firstDueNow(@Param("destination") String destination, @Param("failedBefore") Instant failedBefore, @Param("now") Instant now);

  List<OffsiteStatsRow> stats();
}
