package io.piholecheckpoint.app;

import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.persistence.MyBatisRestoreRepository;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stopped process left half done, cleared by the process that takes the scheduler lock: partial downloads, restores
 * and deletions under way, queued jobs and sync runs. Beside live nodes of a cluster only what no live process holds: the
 * rest is theirs, in flight.
 */
final class Leftovers {
  private static final Logger log = LoggerFactory.getLogger(Leftovers.class);

  private final Application.Services services;
  private final MyBatisRestoreRepository restores;
  private final Jobs jobs;
  private final String node;
  private final Path uploads;

  /**
   * @param node this process's NODE_NAME: beside live nodes, only its own sync runs are its to interrupt
   * @param uploads BACKUP_DIR/.uploads, where each process buffers its uploads in a folder it holds
   */
  Leftovers(Application.Services services, MyBatisRestoreRepository restores, Jobs jobs, String node, Path uploads) {
    this.services = services;
    this.restores = restores;
    this.jobs = jobs;
    this.node = node;
    this.uploads = uploads;
  }

  /**
   * @param joining whether other nodes of a cluster run now: the temp files and running restores in the shared places are perhaps theirs
   * @param now when the restores still running are recorded as interrupted
   */
  void clear(boolean joining, Instant now) {
    if (joining) {
      log.info("Other nodes of the cluster are running: their downloads and restores in progress are left alone; the backups a dead node left"
          + " are recorded as interrupted");
      // only the files no live process holds: a killed node's, never a running one's
      int abandoned = services.archives().removeAbandoned();
      if (abandoned > 0) {
        log.info("Removed {} partial download(s) left by a process that was killed", abandoned);
      }
    } else {
      clearAlone(now);
    }
    UploadFolder.removeAbandoned(uploads); // only folders no live process holds, a cluster's nodes' included
    // on PostgreSQL only this node's own jobs: another node's are its to finish
    int jobsLeft = jobs.interruptLeftovers();
    if (jobsLeft > 0) {
      log.warn("{} backup or sync job(s) asked for before the last shutdown were still queued or running; they are marked interrupted", jobsLeft);
    }
    // alone, every run left is this process's predecessor's; beside live nodes only this node's own (a dead one's are recovered for it)
    int syncsLeft = services.interruptedSyncs().interruptLeft(joining ? node : null, in -> "the process stopped");
    if (syncsLeft > 0) {
      log.warn("{} sync run(s) were under way at the last shutdown; their replicas are recorded as interrupted — run those groups again", syncsLeft);
    }
  }

  /** What a stopped process left half done, when no other node may be doing it now. */
  private void clearAlone(Instant now) {
    int incomplete = services.archives().removeIncomplete();
    if (incomplete > 0) {
      log.info("Removed {} incomplete download(s) left by a process that stopped mid-backup", incomplete);
    }
    // one line each, as interrupted backups get: which restore, of which backup, to which Pi-hole, and what to do
    restores.interrupt(null, "Pi-hole Checkpoint stopped", now).forEach(restore -> log.warn("{}",
        interruptedLine(restore, InstanceLabel.of(restore.targetId(), services.instances()::lookUp))));
    int cutShort = services.retention().finishCutShort();
    if (cutShort > 0) {
      log.info("Completed {} backup deletion(s) that the last process had begun", cutShort);
    }
    services.offsite().releaseClaimsOfDestinationsGone();
    services.maintenance().reconcile();
  }

  /** "Restore 4 of backup 12 to Pi-hole 'Home' (safety backup 13): interrupted: … — restore …": the record's words, with whom it concerns. */
  static String interruptedLine(Restore restore, Object target) {
    return "Restore %d of backup %d to %s%s: %s".formatted(restore.id(), restore.backupId(), target,
        restore.snapshotId() == null ? "" : " (safety backup " + restore.snapshotId() + ")", restore.message());
  }
}
