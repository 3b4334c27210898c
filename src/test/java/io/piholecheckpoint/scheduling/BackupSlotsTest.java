package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupSlotsTest {
  private final Instant now = Instant.parse("2026-12-03T03:00:00Z");

  @Test
  void handsFreedSlotsToTheWaitingInTheOrderTheyCame() {
    BackupSlots slots = new BackupSlots(2);

    assertThat(slots.tryTake(1, null, now)).isTrue();
    assertThat(slots.tryTake(2, null, now)).isTrue();
    assertThat(slots.tryTake(3, null, now)).isFalse();
    assertThat(slots.tryTake(4, "ticket", now.plusSeconds(1))).isFalse();

    assertThat(slots.waitingSince(3)).contains(now);
    assertThat(slots.release()).map(BackupSlots.Waiting::instanceId).contains(3L);
    assertThat(slots.release()).map(BackupSlots.Waiting::ticketId).contains("ticket");
    assertThat(slots.running()).as("each freed slot went to the next in line").isEqualTo(2);
    assertThat(slots.release()).isEmpty();
    assertThat(slots.release()).isEmpty();
    assertThat(slots.running()).isZero();
  }

  @Test
  void aScheduledRunOfAnInstanceAlreadyWaitingIsNotQueuedTwiceButAManualOneIs() {
    BackupSlots slots = new BackupSlots(1);
    slots.tryTake(1, null, now);

    slots.tryTake(2, null, now);
    slots.tryTake(2, null, now.plusSeconds(3600));
    slots.tryTake(2, "manual", now.plusSeconds(3600));

    assertThat(slots.waiting()).isEqualTo(2);
    assertThat(slots.waitingSince(2)).contains(now);
  }

  @Test
  void aNewcomerDoesNotOvertakeTheLine() {
    BackupSlots slots = new BackupSlots(1);
    slots.tryTake(1, null, now);
    slots.tryTake(2, null, now);

    slots.release(); // the slot goes to 2

    assertThat(slots.tryTake(3, null, now)).isFalse();
  }
}
