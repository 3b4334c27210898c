package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/** Quartz's workers, started when a job needs one: none idle after the scheduler's start, at most threadCount at once. */
class OnDemandWorkersTest {
  private final List<Scheduler> started = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    for (Scheduler scheduler : started) {
      scheduler.shutdown(true);
    }
  }

  @Test
  void theSchedulerAsTheAppMakesItStartsNoWorkerUntilAJobRuns() throws Exception {
    Properties properties = QuartzSetup.quartzProperties(4, 1, Schedules.MISFIRE_THRESHOLD);
    String name = properties.getProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME);
    Scheduler quartz = start(properties);

    assertThat(workers(name)).isEmpty();

    List<Thread> ran = new CopyOnWriteArrayList<>();
    quartz.setJobFactory((bundle, scheduler) -> context -> ran.add(Thread.currentThread()));
    quartz.scheduleJob(JobBuilder.newJob(BackupJob.class).withIdentity("one", "test").build(), TriggerBuilder.newTrigger().startNow().build());
    Eventually.until("the job ran", Duration.ofSeconds(10), () -> !ran.isEmpty());
    assertThat(ran.get(0).getName()).isEqualTo(name + "_Worker-1");
    assertThat(ran.get(0).isDaemon()).isTrue();
    assertThat(ran.get(0).getContextClassLoader()).isSameAs(Thread.currentThread().getContextClassLoader());
  }

  @Test
  void aJobThatComesWhileAWorkerIsIdleRunsOnThatWorker() throws Exception {
    Properties properties = QuartzSetup.quartzProperties(4, 1, Schedules.MISFIRE_THRESHOLD);
    String name = properties.getProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME);
    Scheduler quartz = start(properties);
    List<Thread> ran = new CopyOnWriteArrayList<>();
    quartz.setJobFactory((bundle, scheduler) -> context -> ran.add(Thread.currentThread()));

    quartz.scheduleJob(JobBuilder.newJob(BackupJob.class).withIdentity("first", "test").build(), TriggerBuilder.newTrigger().startNow().build());
    Eventually.until("the first job ran", Duration.ofSeconds(10), () -> ran.size() == 1);
    Thread worker = ran.get(0);
    Eventually.until("its worker waits for the next job", Duration.ofSeconds(10), () -> worker.getState() == Thread.State.TIMED_WAITING);
    quartz.scheduleJob(JobBuilder.newJob(BackupJob.class).withIdentity("second", "test").build(), TriggerBuilder.newTrigger().startNow().build());
    Eventually.until("the second job ran", Duration.ofSeconds(10), () -> ran.size() == 2);

    assertThat(ran.get(1)).as("the second job's thread").isSameAs(worker);
    assertThat(workers(name)).extracting(Thread::getName).containsExactly(name + "_Worker-1");
  }

  @Test
  void quartzTakesNoTriggerWhileThreadCountJobsRun() throws Exception {
    Properties properties = QuartzSetup.quartzProperties(1, 0, Schedules.MISFIRE_THRESHOLD); // three threads: one backup, two more
    Scheduler quartz = start(properties);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    quartz.setJobFactory((bundle, scheduler) -> context -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      ended.incrementAndGet();
    });
    for (int i = 0; i < 5; i++) {
      quartz.scheduleJob(JobBuilder.newJob(BackupJob.class).withIdentity("job-" + i, "test").build(), TriggerBuilder.newTrigger().startNow().build());
    }

    Eventually.until("three jobs run", Duration.ofSeconds(10), () -> running.get() == 3);
    assertThat(quartz.getCurrentlyExecutingJobs()).hasSize(3);

    release.countDown();
    Eventually.until("all five ran", Duration.ofSeconds(10), () -> ended.get() == 5);
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void aShutdownThatWaitsReturnsOnceTheRunningJobHasEndedAndALateJobStillRuns() throws Exception {
    OnDemandWorkers workers = new OnDemandWorkers();
    workers.setThreadCount(1);
    workers.setInstanceName("waits");
    workers.initialize();
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger ended = new AtomicInteger();
    assertThat(workers.runInThread(() -> {
      running.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ended.incrementAndGet();
    })).isTrue();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    Thread stopping = new Thread(() -> workers.shutdown(true));
    stopping.start();
    Eventually.until("the shutdown waits", Duration.ofSeconds(10), () -> stopping.getState() == Thread.State.TIMED_WAITING);
    assertThat(ended.get()).isZero();

    release.countDown();
    stopping.join(10_000);
    assertThat(stopping.isAlive()).isFalse();
    assertThat(ended.get()).isEqualTo(1);
    // a trigger Quartz took as it was being shut down: run, as SimpleThreadPool runs it, so that Quartz puts no trigger in ERROR
    List<String> late = new CopyOnWriteArrayList<>();
    assertThat(workers.runInThread(() -> late.add(Thread.currentThread().getName()))).isTrue();
    Eventually.until("the late job ran", Duration.ofSeconds(10), () -> !late.isEmpty());
    assertThat(late).containsExactly("waits_Worker-LastJob");
  }

  @Test
  void aShutdownThatWaitsLeavesNoWorkerThreadBehind() throws Exception {
    Properties properties = QuartzSetup.quartzProperties(2, 0, Schedules.MISFIRE_THRESHOLD);
    String name = properties.getProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME);
    Scheduler quartz = start(properties);
    AtomicInteger ran = new AtomicInteger();
    quartz.setJobFactory((bundle, scheduler) -> context -> ran.incrementAndGet());
    for (int i = 0; i < 3; i++) {
      quartz.scheduleJob(JobBuilder.newJob(BackupJob.class).withIdentity("job-" + i, "test").build(), TriggerBuilder.newTrigger().startNow().build());
    }
    Eventually.until("the three jobs ran", Duration.ofSeconds(10), () -> ran.get() == 3);
    assertThat(workers(name)).isNotEmpty(); // idle now, kept for the next job

    quartz.shutdown(true);

    assertThat(workers(name)).noneMatch(Thread::isAlive);
  }

  private Scheduler start(Properties properties) throws Exception {
    Scheduler quartz = new StdSchedulerFactory(properties).getScheduler();
    started.add(quartz);
    quartz.start();
    return quartz;
  }

  private static List<Thread> workers(String scheduler) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(scheduler + "_Worker-")).toList();
  }
}
