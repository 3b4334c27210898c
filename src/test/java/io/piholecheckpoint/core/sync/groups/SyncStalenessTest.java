package io.piholecheckpoint.core.sync.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncStalenessTest {
  private static final Schedule HOURLY = new Schedule(Schedule.Kind.HOURLY, LocalTime.of(0, 30), DayOfWeek.SUNDAY, null);
  private static final Schedule WEEKLY = new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null);
  private final SyncStaleness staleness = new SyncStaleness(s -> switch (s.kind()) {
    case HOURLY -> Duration.ofHours(1);
    case WEEKLY -> Duration.ofDays(7);
    default -> Duration.ofDays(1);
  });

  private static SyncGroup group(Schedule when, Duration staleAfter) {
    return new SyncGroup("HOME", "MAIN", List.of("ONE"), RestoreMode.LISTS_AND_DNS, Set.of(), false, when, SyncGroup.Snapshot.NEVER, staleAfter);
  }

  private static PiholeInstance primary(Schedule schedule, boolean active) {
    return new PiholeInstance(1, "Main", "main", Origin.ENV, "MAIN", "http://main.lan", TlsTrust.SYSTEM, null, schedule,
        RetentionPolicy.DEFAULT, false, active, false, false, PiholeInstance.Status.UNKNOWN);
  }

  @Test
  void aScheduledGroupMayFailForTwoOfItsPeriods() {
    assertThat(staleness.limit(group(HOURLY, null), primary(WEEKLY, true))).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void aGroupThatFollowsBackupsMayFailForTwoOfThePrimarysPeriods() {
    assertThat(staleness.limit(group(null, null), primary(WEEKLY, true))).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void aGroupWhosePrimaryIsBackedUpOnlyByHandMayFailForTwoDays() {
    assertThat(staleness.limit(group(null, null), primary(WEEKLY, false))).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void staleAfterWinsOverEveryDefault() {
    assertThat(staleness.limit(group(HOURLY, Duration.ofMinutes(90)), primary(WEEKLY, true))).isEqualTo(Duration.ofMinutes(90));
    assertThat(staleness.limit(group(null, Duration.ofMinutes(90)), primary(WEEKLY, false))).isEqualTo(Duration.ofMinutes(90));
  }
}
