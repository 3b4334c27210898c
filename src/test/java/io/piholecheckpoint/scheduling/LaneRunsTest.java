package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

/**
 * A destination's lane woken while it runs (a pin or a deletion right after a copy) runs once more right after, not at the
 * next off-site run a minute later; however many wakes come meanwhile, one run follows. A real Quartz with two threads, so
 * that only the job's own rule, never two at once, keeps a second run from starting beside the first.
 */
class LaneRunsTest {
  private static final JobKey LANE = JobKey.jobKey("NAS", OffsiteCopyJob.GROUP);
  /** The lane's runs so far; the first one holds until released. Static: Quartz builds the job with its no-argument constructor. */
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static volatile CountDownLatch firstHeld;
  private static volatile CountDownLatch release;

  private Scheduler quartz;

  /** A lane whose first run waits to be released, as a copy under way. */
  @DisallowConcurrentExecution
  public static final class HeldLane implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      if (RUNS.incrementAndGet() == 1) {
        firstHeld.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    RUNS.set(0);
    firstHeld = new CountDownLatch(1);
    release = new CountDownLatch(1);
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "lanes-" + UUID.randomUUID());
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    // the app's pool: Quartz's own keeps its idle workers polling every 500 ms, and the stop below waited that out
    p.setProperty("org.quartz.threadPool.class", OnDemandWorkers.class.getName());
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    quartz = new StdSchedulerFactory(p).getScheduler();
    quartz.addJob(JobBuilder.newJob(HeldLane.class).withIdentity(LANE).storeDurably().build(), true);
    quartz.start();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    quartz.shutdown(true);
  }

  @Test
  void wakesDuringARunAreOneRunRightAfterIt() throws Exception {
    LaneRuns.startOrQueue(quartz, LANE);
    assertThat(firstHeld.await(10, TimeUnit.SECONDS)).as("the first run started").isTrue();

    LaneRuns.startOrQueue(quartz, LANE); // a pin
    LaneRuns.startOrQueue(quartz, LANE); // a deletion
    release.countDown();

    Eventually.until("a second run after the first", Duration.ofSeconds(10), () -> RUNS.get() == 2 && quartz.getCurrentlyExecutingJobs().isEmpty()
        && quartz.getTriggersOfJob(LANE).isEmpty());
    assertThat(RUNS).as("the two wakes are one run").hasValue(2);
  }

  @Test
  void aWakeOfAnIdleLaneRunsItNow() throws Exception {
    release.countDown();

    LaneRuns.startOrQueue(quartz, LANE);

    Eventually.until("it ran", Duration.ofSeconds(10), () -> RUNS.get() == 1);
  }
}
