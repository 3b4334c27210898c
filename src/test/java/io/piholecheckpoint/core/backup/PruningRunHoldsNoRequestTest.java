package io.piholecheckpoint.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that has answered its waiter and only prunes (retention after the answer) holds the instance's turn a moment longer.
 * Work asked for meanwhile is not refused as "already running", and a request thread is not held for long: a deletion waits
 * for it a moment ({@link InstanceLocks#FINISHING_WAIT}) and is then answered; a backup asked for by other work follows it.
 */
class PruningRunHoldsNoRequestTest {
  @TempDir
  Path backupDir;

  private final CountDownLatch retentionEnds = new CountDownLatch(1);
  private final CountDownLatch pruning = new CountDownLatch(1);
  private TestServices s;
  private long home;
  private CompletableFuture<Void> run;

  @BeforeEach
  void aRunThatPrunes() throws Exception {
    s = new TestServices(backupDir, MovableClock.ticking());
    InstanceForm b = InstanceForm.blank(); // added in the UI: the environment's are not deleted in the app
    home = s.instances.create(new InstanceForm("Home", "http://pi.hole", "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(),
        b.timeoutSeconds(), b.scheduleKind(), b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(),
        b.keepMonthly(), false, true)).id();
    InstanceLocks locks = s.backups.locks();
    run = CompletableFuture.runAsync(() -> {
      try (InstanceLocks.Held turn = locks.forRun(home, true)) {
        locks.finishing(home); // its record is durable, its waiter answered: it prunes now, until the test lets it end
        pruning.countDown();
        retentionEnds.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(pruning.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @AfterEach
  void retentionEnds() throws Exception {
    retentionEnds.countDown();
    run.get(10, TimeUnit.SECONDS);
  }

  /** Round 51 held the request up to 30 s. */
  @Test
  void aDeletionAskedWhileTheLastBackupStillPrunesIsAnsweredInAMomentSayingWhy() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> s.backups.instanceDeletion().deleteInstance(home, false))
            .isInstanceOf(BackupConflictException.class)
            .hasMessage("a backup of 'Home' has just finished and is still deleting old backups (retention); delete the Pi-hole again in a moment"));
    assertThat(s.instances.find(home).removed()).isFalse();
  }

  @Test
  void aDeletionAskedWhileTheLastBackupPrunesBrieflyWaitsForItAndDeletes() throws Exception {
    CompletableFuture<Void> deletion = CompletableFuture.runAsync(() -> s.backups.instanceDeletion().deleteInstance(home, false));
    retentionEnds.countDown();

    deletion.get(10, TimeUnit.SECONDS);
    assertThat(s.instances.find(home).removed()).isTrue();
  }

  /** A sync's backup of its primary, on the sync's job thread: it follows the pruning run as a scheduled one would. */
  @Test
  void aBackupAskedByOtherWorkWhileTheLastOnePrunesFollowsItInsteadOfBeingRefused() throws Exception {
    CompletableFuture<Boolean> next = new CompletableFuture<>();
    Thread asking = new Thread(() -> {
      try (InstanceLocks.Held turn = s.backups.locks().forRun(home, false)) {
        next.complete(true);
      } catch (RuntimeException e) {
        next.completeExceptionally(e);
      }
    });
    asking.start();
    Eventually.until("the backup asked for waits for the pruning run", Duration.ofSeconds(10),
        () -> asking.getState() == Thread.State.WAITING || next.isDone());
    assertThat(next).isNotDone();

    retentionEnds.countDown();

    assertThat(next.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
