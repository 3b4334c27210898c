package io.piholecheckpoint.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.instance.Schedule;
import io.piholecheckpoint.core.retention.RetentionPolicy;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupServiceTest {
  @TempDir
  Path backupDir;

  private final ScriptedGateway gateway = new ScriptedGateway();
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
  private final InstanceService instances = new InstanceService(new InMemoryInstanceRepository());
  private BackupService service;
  private long home;

  @BeforeEach
  void setUp() {
    ArchiveStore archives = new ArchiveStore(backupDir);
    service = new BackupService(instances, repository, new ArchiveDownloader(gateway, i -> Optional.of("labpass"), archives),
        new RetentionService(repository, archives), TestClock.ticking());
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", true, Schedule.DEFAULT, new RetentionPolicy(2, 0), true)));
    home = instances.list().get(0).id();
  }

  private List<Path> filesInBackupDir() throws Exception {
    try (var files = Files.list(backupDir)) {
      return files.toList();
    }
  }

  @Nested
  class Success {
    @Test
    void storesTheArchiveWithItsChecksumAndRecordsIt() throws Exception {
      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.successful()).isTrue();
      Path file = backupDir.resolve(backup.fileName());
      assertThat(Files.readAllBytes(file)).isEqualTo(Fixtures.archiveA());
      assertThat(backup.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Fixtures.archiveA())));
      assertThat(backup.sizeBytes()).isEqualTo(Fixtures.archiveA().length);
      assertThat(backup.fileName()).matches("home_20261127T030000Z_[a-z0-9]{6}\\.zip");
      assertThat(backup.piholeVersion()).isEqualTo("v6.4.1");
      assertThat(repository.all()).containsExactly(backup);
      assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.OK);
      assertThat(gateway.openSessions()).isZero();
    }

    @Test
    void prunesBackupsBeyondRetentionCount() throws Exception {
      Backup first = service.runBackup(home, Backup.Trigger.SCHEDULED);
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(repository.findSuccessful(home)).hasSize(2).noneMatch(b -> b.id() == first.id());
      assertThat(filesInBackupDir()).hasSize(2).noneMatch(p -> p.getFileName().toString().equals(first.fileName()));
    }
  }

  @Nested
  class Failure {
    @Test
    void recordsAPiholeFailureWithItsMessageAndLeavesNoFile() throws Exception {
      gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "wrong password for Pi-hole 'Home'"));

      Backup backup = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(backup.status()).isEqualTo(Backup.Status.FAILED);
      assertThat(backup.errorCode()).isEqualTo("wrong_password");
      assertThat(backup.errorMessage()).isEqualTo("wrong password for Pi-hole 'Home'");
      assertThat(backup.fileName()).isNull();
      assertThat(filesInBackupDir()).isEmpty();
      assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.AUTH_ERROR);
    }

    @Test
    void refusesAnAnswerThatIsNotATeleporterArchive() throws Exception {
      gateway.answer("<!DOCTYPE html><html>login</html>".getBytes(StandardCharsets.UTF_8));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.errorCode()).isEqualTo("not_an_archive");
      assertThat(backup.errorMessage()).contains("Pi-hole 'Home' did not send a valid Teleporter archive");
      assertThat(filesInBackupDir()).isEmpty();
      assertThat(gateway.openSessions()).isZero();
    }

    @Test
    void refusesATruncatedArchive() throws Exception {
      byte[] archive = Fixtures.archiveA();
      gateway.answer(java.util.Arrays.copyOf(archive, archive.length / 2));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.errorCode()).isEqualTo("not_an_archive");
      assertThat(filesInBackupDir()).isEmpty();
    }

    @Test
    void refusesABackupOfARemovedInstance() {
      instances.applyEnvironment(List.of());

      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.MANUAL))
          .isInstanceOf(BackupConflictException.class).hasMessageContaining("was removed");
    }
  }

  @Nested
  class Concurrency {
    @Test
    void refusesAManualBackupWhileOneRuns() throws Exception {
      gateway.closeGate();
      CompletableFuture<Backup> running = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.SCHEDULED));
      assertThat(gateway.awaitExportStarted()).isTrue();

      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.MANUAL))
          .isInstanceOf(BackupConflictException.class).hasMessageContaining("already running");

      gateway.openGate();
      assertThat(running.get(10, TimeUnit.SECONDS).successful()).isTrue();
    }

    @Test
    void letsAScheduledBackupWaitForARunningOne() throws Exception {
      gateway.closeGate();
      CompletableFuture<Backup> manual = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.MANUAL));
      assertThat(gateway.awaitExportStarted()).isTrue();
      CompletableFuture<Backup> scheduled = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.SCHEDULED));

      gateway.openGate();

      assertThat(manual.get(10, TimeUnit.SECONDS).successful()).isTrue();
      assertThat(scheduled.get(10, TimeUnit.SECONDS).successful()).isTrue();
      assertThat(gateway.maxConcurrentExports()).isEqualTo(1);
    }
  }
}
