package io.piholecheckpoint.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.pihole.PiholeClient;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup's download against a real HTTP fake Pi-hole: what it asks of the Pi-hole, and when. */
class ArchiveDownloaderTest {
  private static final Duration PATIENT = Duration.ofSeconds(60);

  @TempDir
  Path backupDir;

  private final MovableClock clock = MovableClock.ticking();
  private final InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());

  private PiholeInstance instance(FakePihole pihole) {
    instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", pihole.url())));
    return instances.list().get(0);
  }

  private ArchiveDownloader downloader(ArchiveInspector inspector) {
    return new ArchiveDownloader(new PiholeClient("test", PATIENT, clock, new RecordingPause(clock)), TestServices.PASSWORD_ONLY,
        new LocalArchiveStore(backupDir, inspector, ArchiveStore.FreeSpace.OF_FILE_STORE), DownloadPolicy.DEFAULT, new RecordingPause(clock), Clock.systemUTC());
  }

  /**
   * The logout's round trip overlaps the archive's inspection (against a real Pi-hole, tens of milliseconds of a backup):
   * the Pi-hole has ended our session while the archive is still being inspected, after every other answer came.
   */
  @Test
  void logsOutOnceTheArchiveIsInAndInspectsItMeanwhile() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      AtomicReference<List<String>> seenWhileInspecting = new AtomicReference<>();
      TeleporterInspector real = new TeleporterInspector();
      ArchiveInspector inspector = archive -> {
        try {
          Eventually.until("the logout, sent before the inspection ends", Duration.ofSeconds(10), () -> pihole.activeSessions() == 0);
        } catch (Exception e) {
          throw new AssertionError(e.getMessage(), e);
        }
        seenWhileInspecting.set(new ArrayList<>(pihole.requests()));
        return real.inspect(archive);
      };

      try (ArchiveDownloader.Download download = downloader(inspector).download(instance(pihole), Instant.now(clock), 0, BackupProgress.NONE)) {
        assertThat(download.versions()).isEqualTo(new PiholeVersions("v6.2.2", "v6.4.1", null));
        assertThat(download.seatsInUse()).isNotNull();
        assertThat(download.incoming().inspection().contentHash()).isNotBlank();
      }

      assertThat(seenWhileInspecting.get()).containsExactlyInAnyOrder("POST /api/auth", "GET /api/auth/sessions", "GET /api/info/version",
          "GET /api/teleporter", "DELETE /api/auth");
      assertThat(seenWhileInspecting.get()).startsWith("POST /api/auth").endsWith("DELETE /api/auth");
      assertThat(pihole.requests()).hasSize(5); // one logout, not a second one at the end
    }
  }

  /** A logout sent early still ends a session whose archive is then refused; a second attempt logs in and out again. */
  @Test
  void anArchiveRefusedAfterTheEarlyLogoutLeavesNoSession() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      ArchiveInspector refusing = archive -> {
        throw new io.piholecheckpoint.core.archive.InvalidArchiveException("not a Teleporter archive (test)");
      };

      assertThatThrownBy(() -> downloader(refusing).download(instance(pihole), Instant.now(clock), 0, BackupProgress.NONE))
          .isInstanceOf(PiholeException.class);

      assertThat(pihole.activeSessions()).isZero();
      assertThat(pihole.requests().stream().filter("POST /api/auth"::equals).count())
          .isEqualTo(pihole.requests().stream().filter("DELETE /api/auth"::equals).count());
    }
  }

  /**
   * A preview (a dry run's live export) against a Pi-hole whose export hangs: each try waits out its timeout and the retries
   * wait between them, so the message that names the timeout also says it was the last of several tries and how long they took.
   */
  @Test
  void aHungExportSaysItWasTriedAgainAndHowLongItTookInAll() throws Exception {
    MovableClock fixed = new MovableClock(Instant.parse("2026-12-05T09:00:00Z"));
    RecordingPause pause = new RecordingPause(fixed);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      FakePihole.Hold hold = pihole.holdExports();
      ArchiveDownloader downloader = new ArchiveDownloader(new PiholeClient("test", PATIENT, fixed, new RecordingPause(fixed)),
          TestServices.PASSWORD_ONLY, new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE),
          new DownloadPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(20)), pause, fixed);
      try {
        assertThatThrownBy(() -> downloader.withLiveExport(instance(pihole), fixed.instant(), archive -> archive))
            .isInstanceOf(PiholeException.class)
            .hasMessageContaining("did not answer within 1 s")
            .hasMessageContaining("the last of 3 tries, " + pause.pauses().stream().reduce(Duration.ZERO, Duration::plus).toSeconds() + " s in all")
            .hasMessageContaining("PIHOLE_RETRIES");
      } finally {
        hold.release();
      }
      assertThat(pause.pauses()).hasSize(2);
    }
  }
}
