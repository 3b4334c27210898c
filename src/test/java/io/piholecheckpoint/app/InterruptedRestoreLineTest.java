package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.record.Restore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outsider (low): a start after a kill said "2 restore(s) were interrupted"; each has a line naming it and what to do. */
class InterruptedRestoreLineTest {
  private static Restore restore(long id, Restore.State state, Long snapshotId, String message) {
    Instant at = Instant.parse("2026-12-02T03:00:00Z");
    return new Restore(id, 12, 3, RestoreMode.LISTS, state, snapshotId, message, List.of(), List.of(), at, at.plusSeconds(60));
  }

  @Test
  void namesTheRestoreItsBackupItsPiholeItsSafetyBackupAndWhatItsRecordSaysToDo() {
    String changed = "interrupted: Pi-hole Checkpoint stopped during the restore; the Pi-hole may have been changed — compare it with the"
        + " backup, and restore the safety backup to undo or the backup again to finish";

    assertThat(Leftovers.interruptedLine(restore(4, Restore.State.UNVERIFIED, 13L, changed), "Pi-hole 'Home'"))
        .isEqualTo("Restore 4 of backup 12 to Pi-hole 'Home' (safety backup 13): " + changed);
    assertThat(Leftovers.interruptedLine(restore(5, Restore.State.FAILED, null, "not started: … nothing was changed — ask for it again"), "Pi-hole #3"))
        .isEqualTo("Restore 5 of backup 12 to Pi-hole #3: not started: … nothing was changed — ask for it again");
  }
}
