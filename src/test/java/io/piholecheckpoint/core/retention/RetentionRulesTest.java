package io.piholecheckpoint.core.retention;

import static io.piholecheckpoint.testing.TestBackups.aSuccess;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.testing.TestBackups;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");
  private static final ZoneId UTC = ZoneOffset.UTC;

  /** Successful backups, newest first, one a day; ids 100, 99, … */
  private static List<Backup> daily(int count) {
    return IntStream.range(0, count).mapToObj(i -> aSuccess(100 - i, 1, NOW.minus(Duration.ofDays(i)))).toList();
  }

  private static List<Long> expiredIds(List<Backup> backups, RetentionPolicy policy) {
    return RetentionRules.expired(backups, policy, NOW, UTC).stream().map(d -> d.backup().id()).toList();
  }

  @Test
  void expiresBackupsBeyondTheCountAndSaysWhy() {
    List<RetentionService.Deletion> expired = RetentionRules.expired(daily(5), new RetentionPolicy(3, 0), NOW, UTC);

    assertThat(expired).extracting(d -> d.backup().id()).containsExactly(97L, 96L);
    assertThat(expired).extracting(RetentionService.Deletion::reason).containsOnly("beyond MAX_BACKUPS=3");
  }

  @Test
  void expiresBackupsOlderThanTheAgeLimit() {
    List<RetentionService.Deletion> expired = RetentionRules.expired(daily(5), new RetentionPolicy(0, 2), NOW, UTC);

    assertThat(expired).extracting(d -> d.backup().id()).containsExactly(97L, 96L);
    assertThat(expired).extracting(RetentionService.Deletion::reason).containsOnly("older than MAX_AGE_DAYS=2");
  }

  @Test
  void keepsTheNewestGoodBackupWhenEveryBackupIsOlderThanTheAgeLimit() {
    List<Backup> monthOld = daily(3).stream()
        .map(b -> aSuccess(b.id(), 1, b.finishedAt().minus(Duration.ofDays(40)))).toList();

    assertThat(expiredIds(monthOld, new RetentionPolicy(10, 30))).containsExactly(99L, 98L);
  }

  @Test
  void neverDeletesPinnedBackups() {
    List<Backup> backups = new ArrayList<>(daily(5));
    backups.set(4, TestBackups.pinned(backups.get(4)));

    assertThat(expiredIds(backups, new RetentionPolicy(1, 0))).containsExactly(99L, 98L, 97L);
  }

  @Test
  void letsNoSuspiciousBackupPushGoodOnesOut() {
    List<Backup> backups = new ArrayList<>(daily(4));
    backups.set(0, TestBackups.suspicious(backups.get(0)));
    backups.set(1, TestBackups.suspicious(backups.get(1)));

    assertThat(expiredIds(backups, new RetentionPolicy(2, 0))).isEmpty();
  }

  @Test
  void protectsTheNewestGoodBackupBehindSuspiciousOnes() {
    List<Backup> backups = new ArrayList<>(daily(3).stream().map(b -> aSuccess(b.id(), 1, b.finishedAt().minus(Duration.ofDays(60)))).toList());
    backups.set(0, TestBackups.suspicious(backups.get(0)));

    assertThat(expiredIds(backups, new RetentionPolicy(0, 30))).containsExactly(100L, 98L);
  }

  @Test
  void countsAgeFromWhenThePiholeWasLastSeenUnchanged() {
    Backup old = aSuccess(1, 1, NOW.minus(Duration.ofDays(60)));
    Backup stillCurrent = new Backup(old.id(), 1, old.status(), old.trigger(), old.archive(), null, null, old.startedAt(), old.finishedAt(),
        NOW.minus(Duration.ofHours(1)), false, false, false, null);
    Backup older = aSuccess(0, 1, NOW.minus(Duration.ofDays(61)));

    assertThat(expiredIds(List.of(stillCurrent, older), new RetentionPolicy(0, 30))).containsExactly(0L);
  }

  @Test
  void keepsTheNewestBackupOfEachOfTheLastDaysBeyondTheCount() {
    List<Backup> twicePerDay = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      twicePerDay.add(aSuccess(200 - i, 1, NOW.minus(Duration.ofHours(12L * i))));
    }
    // newest first: 200 (day 0, 03:00), 199 (day -1, 15:00), 198 (day -1, 03:00), 197 (day -2, 15:00), 196, 195 (day -3, 15:00)

    List<Long> expired = expiredIds(twicePerDay, new RetentionPolicy(1, 0, 3, 0, 0));

    assertThat(expired).containsExactly(198L, 196L, 195L);
  }

  @Test
  void keepsNothingExtraWithoutLimits() {
    assertThat(expiredIds(daily(50), new RetentionPolicy(0, 0))).isEmpty();
  }
}
