package io.piholecheckpoint.scheduling;

import static io.piholecheckpoint.scheduling.OffsiteJobDatabaseBusyTest.nothing;
import static io.piholecheckpoint.scheduling.OffsiteJobDatabaseBusyTest.refusing;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.testing.CapturedOutput;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;

/**
 * The look at stale backups and low disk space (every 5 minutes) logged a WARN with the exception's text for a busy database, and did
 * not say when it looks again; through {@link io.piholecheckpoint.core.job.JobFailures} as every job's catch-all.
 */
class ConditionsJobDatabaseBusyTest {
  @Test
  void aLookTheBusyDatabaseCutsShortIsOneWarnLineSayingWhenItRunsAgainAndWhereToLook() {
    InstanceRepository locked = refusing(InstanceRepository.class);
    ConditionsJob job = new ConditionsJob(locked::findAll);

    String logged;
    try (CapturedOutput output = CapturedOutput.start()) {
      job.execute(nothing(JobExecutionContext.class));
      logged = output.text();
    }

    assertThat(logged.lines().filter(l -> l.contains("ConditionsJob"))).singleElement().asString().contains("WARN",
        "The check for stale backups and low disk space was cut short", "database busy", "it runs again in 5 minutes", "checkpoint.db");
    assertThat(logged).doesNotContain("\tat ", "Exception");
  }
}
