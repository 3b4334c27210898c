package io.piholecheckpoint.core.offsite.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.offsite.queue.Copy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DamagedCopiesRefusalTest {
  private static final Instant T = Instant.parse("2026-12-04T03:00:00Z");
  private static final String FILE = "pi-hole-home_20261204T030000Z_abcdef.zip.gpg";

  private static Copy damaged(String destination) {
    return new Copy(1, 7, 1, destination, Copy.State.FAILED, 1, "failed verification: it is smaller than what was sent", FILE, "home/" + FILE,
        T, 22_876L, "ab".repeat(32), T, null, T, T, T, T.plusSeconds(60));
  }

  private static Copy waitingToBeReadBack(String destination) {
    return Copy.adopted(7, 1, destination, FILE, "home/" + FILE, T, 22_876L, "ab".repeat(32), T);
  }

  @Test
  void aBackupWhoseOnlyCopiesWereFoundDamagedIsRefusedSayingSo() {
    assertThat(DamagedCopies.refusal(7, FILE, List.of(damaged("NAS")))).hasValueSatisfying(e -> assertThat(e.getMessage())
        .contains("NAS: failed verification"));
  }

  @Test
  void aCopyStillWaitingToBeReadBackIsTriedBeforeTheBackupIsRefused() {
    assertThat(DamagedCopies.refusal(7, FILE, List.of(damaged("NAS"), waitingToBeReadBack("B2")))).isEmpty();
  }
}
