package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.testing.ForwardingDestination;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Check again on a directory destination and the real copy queue: one check of a destination at a time, and only of one in use. */
class CheckAgainTest {
  private static final byte[] SENT = "the bytes that were sent".getBytes();
  @TempDir
  Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private Database database;
  private MyBatisCopyRepository copies;
  private long copyId;

  @BeforeEach
  void damagedCopy() throws Exception {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    copies = new MyBatisCopyRepository(database);
    Files.createDirectories(dir.resolve("nas/home"));
    Files.write(dir.resolve("nas/home/a.zip.gpg"), SENT);
    Instant at = clock.instant();
    copies.enqueue(List.of(Copy.queued(7, 1, "NAS", "a.zip", "home/a.zip.gpg", at, at)));
    copyId = copies.findByBackup(7).get(0).id();
    copies.markCopied(copyId, SENT.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SENT)), at);
    copies.markVerified(copyId, at);
    copies.markDamaged(copyId, "failed verification (found when re-checked): home/a.zip.gpg vanished", at, null);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private FileDestination nas() {
    return new FileDestination(new DestinationConfig("NAS", dir.resolve("nas").toUri(), Map.of(), Duration.ofSeconds(5)));
  }

  private CheckAgain checkAgain(OffsiteTargets targets) {
    return new CheckAgain(targets, copies, clock, CopyOutcomes.NONE);
  }

  @Test
  void aSecondCheckOfTheSameDestinationWhileOneRunsIsRefused() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    OffsiteTarget slow = new OffsiteTarget("NAS", new ForwardingDestination(nas()) {
      @Override
      public Optional<RemoteObject> check(String key) throws IOException {
        reading.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.check(key);
      }
    }, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
    CheckAgain checks = checkAgain(OffsiteTargets.of(List.of(slow)));
    CompletableFuture<CheckAgain.Outcome> first = CompletableFuture.supplyAsync(() -> {
      try {
        return checks.check("NAS");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> checks.check("nas")).isInstanceOf(CheckRunningException.class).hasMessageContaining("is running");

    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS).verifiedAgain()).extracting(CheckAgain.Found::backupId).containsExactly(7L);
    assertThat(copies.findById(copyId).orElseThrow().state()).isEqualTo(Copy.State.VERIFIED);
    assertThat(checks.check("NAS").message()).contains("no copy at NAS is marked damaged");
  }

  @Test
  void aDestinationDisabledOrUnknownIsNotChecked() {
    CheckAgain checks = checkAgain(new OffsiteTargets(List.of(), Map.of("NAS", "OFFSITE_NAS_URL must start with file://")));

    assertThatThrownBy(() -> checks.check("NAS")).isInstanceOf(DestinationDisabledException.class).hasMessageContaining("must start with");
    assertThatThrownBy(() -> checks.check("USB")).isInstanceOf(DestinationNotFoundException.class);
    assertThat(copies.findById(copyId).orElseThrow().damagedAt()).isNotNull();
  }
  @Test
  void theMessageAgreesWithOneCopyAndWithSeveral() {
    CheckAgain.Found a = new CheckAgain.Found(7, "home/a.zip.gpg", "vanished");
    CheckAgain.Found b = new CheckAgain.Found(8, "home/b.zip.gpg", "24 bytes, not 30");

    String one = new CheckAgain.Outcome("NAS", List.of(a), List.of(b)).message();
    String two = new CheckAgain.Outcome("NAS", List.of(), List.of(a, b)).message();

    assertThat(one).contains("1 copy at NAS is as sent again", "1 copy at NAS is still not what was sent and stays failed (home/b.zip.gpg");
    assertThat(two).contains("2 copies at NAS are still not what was sent and stay failed (home/a.zip.gpg vanished; home/b.zip.gpg");
  }
}
