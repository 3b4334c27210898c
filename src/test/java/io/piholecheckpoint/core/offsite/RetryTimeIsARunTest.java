package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.copy.RunTicks;
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
 * The off-site runs fire every minute, and a copy is only tried by one: the time a failed copy's next attempt is given is the
 * run that takes it up, not its backoff's end between two runs (then said up to a minute early). The log line says that time
 * in TIME_ZONE with its offset, as README promises of log lines.
 */
class RetryTimeIsARunTest {
  private static final Duration EVERY = Duration.ofMinutes(1);

  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  @Test
  void aFailedCopysNextAttemptIsTheRunThatRetriesIt() throws Exception {
    Backup backup = backedUpWhileTheShareIsNotMounted();
    Instant fired = graph.clock.instant();
    graph.clock.advance(Duration.ofSeconds(5)); // the run's lane started a little after the run fired

    graph.offsite.runDue(new RunTicks(fired, EVERY));

    Copy failed = copy(backup);
    assertThat(failed.state()).isEqualTo(Copy.State.FAILED);
    // the 1-minute backoff ends at fired + 1:05, between two runs: the one at fired + 2:00 retries it
    assertThat(failed.nextAttemptAt()).isEqualTo(fired.plus(EVERY.multipliedBy(2)));

    Files.createDirectories(graph.root("NAS"));
    graph.clock.set(fired.plus(EVERY));
    graph.offsite.runDue(new RunTicks(fired.plus(EVERY), EVERY));
    assertThat(copy(backup).attempts()).as("not tried by the run before the time it was given").isEqualTo(1);

    graph.clock.set(failed.nextAttemptAt());
    assertThat(graph.offsite.runDue(new RunTicks(failed.nextAttemptAt(), EVERY))).as("tried by the run at the time it was given").isEqualTo(1);
    assertThat(copy(backup).state()).isEqualTo(Copy.State.VERIFIED);
  }

  /** Outsider 49 F8: the line wrote the bare instant, "2026-12-06T11:58:28.240Z". */
  @Test
  void aFailedCopysLineSaysItsNextTryInTheTimeZoneWithItsOffset() throws Exception {
    Backup backup = backedUpWhileTheShareIsNotMounted();
    Instant fired = graph.clock.instant();

    String log;
    try (CapturedOutput output = CapturedOutput.start()) {
      graph.offsite.runDue(new RunTicks(fired, EVERY));
      log = output.text();
    }

    Copy failed = copy(backup);
    assertThat(failed.nextAttemptAt()).isEqualTo(Instant.parse("2026-12-02T03:01:00Z"));
    assertThat(log).contains("Off-site copy " + failed.remoteKey()).contains("failed (attempt 1)")
        .contains("next try at 2026-12-02 04:01:00 +01:00")
        .doesNotContain("2026-12-02T03:01");
  }

  private Backup backedUpWhileTheShareIsNotMounted() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS");
    Backup backup = graph.backUp();
    Files.delete(graph.root("NAS"));
    return backup;
  }

  private Copy copy(Backup backup) {
    return graph.copies.findByBackup(backup.id()).get(0);
  }
}
