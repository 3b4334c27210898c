package io.piholecheckpoint.scheduling;

import static io.piholecheckpoint.scheduling.OffsiteJobDatabaseBusyTest.nothing;
import static io.piholecheckpoint.scheduling.OffsiteJobDatabaseBusyTest.refusing;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.testing.CapturedOutput;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;

/**
 * Round 49 made the off-site run's busy database one WARN line (OffsiteJobDatabaseBusyTest); the daily maintenance still logged
 * an ERROR with the stack trace of the refused statement for the same expected condition. Every job's catch-all goes through
 * {@link io.piholecheckpoint.core.job.JobFailures}.
 */
class MaintenanceJobDatabaseBusyTest {
  @Test
  void aDailyRoundThatTheBusyDatabaseCutsShortIsOneLineSayingWhenItRunsAgainWithoutAStackTrace() {
    InstanceService instances = new InstanceService(refusing(InstanceRepository.class), null, null, null);
    MaintenanceService maintenance = new MaintenanceService(instances, new IntegrityService(instances, refusing(BackupRepository.class), null, null),
        null, Clock.systemUTC(), () -> { });
    MaintenanceJob job = new MaintenanceJob(maintenance, new ArchiveWork(1, Duration.ofSeconds(1)), null);

    String logged;
    try (CapturedOutput output = CapturedOutput.start()) {
      job.execute(nothing(JobExecutionContext.class));
      logged = output.text();
    }

    assertThat(logged).contains("MaintenanceJob", "Daily maintenance was cut short", "database", "it runs again tomorrow", "checkpoint.db")
        .doesNotContain("\tat ", "Exception");
    assertThat(logged.lines().filter(l -> l.contains("MaintenanceJob"))).singleElement().asString().contains("WARN");
  }
}
