package io.piholecheckpoint.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.Backup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetentionServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  /** Successful backups, newest first, one a day. */
  private static List<Backup> dailyBackups(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new Backup(100 - i, 1, Backup.Status.SUCCESS, Backup.Trigger.SCHEDULED, "f" + i, 1, "x", null, null, null,
            NOW.minus(Duration.ofDays(i)), NOW.minus(Duration.ofDays(i))))
        .toList();
  }

  @Test
  void expiresBackupsBeyondTheCount() {
    List<Backup> expired = RetentionService.expired(dailyBackups(5), new RetentionPolicy(3, 0), NOW);

    assertThat(expired).extracting(Backup::id).containsExactly(97L, 96L);
  }

  @Test
  void expiresBackupsOlderThanTheAgeLimit() {
    List<Backup> expired = RetentionService.expired(dailyBackups(5), new RetentionPolicy(0, 2), NOW);

    assertThat(expired).extracting(Backup::id).containsExactly(97L, 96L);
  }

  @Test
  void neverExpiresTheNewestSuccessfulBackupHoweverOld() {
    List<Backup> old = dailyBackups(3).stream()
        .map(b -> new Backup(b.id(), 1, b.status(), b.trigger(), b.fileName(), 1, "x", null, null, null,
            b.startedAt().minus(Duration.ofDays(400)), b.finishedAt().minus(Duration.ofDays(400))))
        .toList();

    List<Backup> expired = RetentionService.expired(old, new RetentionPolicy(1, 1), NOW);

    assertThat(expired).extracting(Backup::id).containsExactly(99L, 98L);
  }

  @Test
  void keepsEverythingWithoutLimits() {
    assertThat(RetentionService.expired(dailyBackups(50), new RetentionPolicy(0, 0), NOW)).isEmpty();
  }
}
