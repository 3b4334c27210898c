package io.piholecheckpoint.core.offsite.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.testing.CapturedOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed copy's log line tells its next try in TIME_ZONE with its offset, as README promises of log lines and the other lines
 * write their times (outsider 49 F8: it wrote the bare instant, "2026-12-06T11:58:28.240Z").
 */
class FailedCopyLogTimeTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  @Test
  void aFailedCopysLineSaysItsNextTryInTheTimeZoneWithItsOffset() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS");
    Backup backup = graph.backUp();
    Files.delete(graph.root("NAS")); // the share is not mounted
    Instant fired = graph.clock.instant();

    String log;
    try (CapturedOutput output = CapturedOutput.start()) {
      graph.offsite.runDue(new RunTicks(fired, Duration.ofMinutes(1)));
      log = output.text();
    }

    Copy failed = graph.copies.findByBackup(backup.id()).get(0);
    assertThat(failed.nextAttemptAt()).isEqualTo(Instant.parse("2026-12-02T03:01:00Z"));
    assertThat(log).contains("Off-site copy " + failed.remoteKey()).contains("failed (attempt 1)")
        .contains("next try at 2026-12-02 04:01:00 +01:00")
        .doesNotContain("2026-12-02T03:01");
  }
}
