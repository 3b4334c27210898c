package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.SchedulerConfigException;
import org.quartz.spi.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's worker threads, started when a job needs one and ended after {@link #IDLE} without one, instead of Quartz's
 * SimpleThreadPool, which starts all of them with the scheduler and keeps them for the life of the process. Jobs are rare here
 * (a backup a day per Pi-hole), and each idle Java thread holds ~90 kB of resident stack (the JVM touches its shadow pages as it
 * starts) besides its native structures: six of them were ~0.6 MiB of the resident memory after start (bench/RESULTS.md, r33-perf).
 * As before, at most threadCount jobs run at once (Quartz asks {@link #blockForAvailableThreads()} before it takes a trigger), the
 * threads are daemons and are named as SimpleThreadPool names them ({@code <scheduler>_Worker-N}), which the log lines show.
 * A stop ends the idle threads at once (SimpleThreadPool's noticed it at their next 500 ms poll, and every stop of the scheduler
 * waited that out). Quartz makes it by its class name and sets threadCount through {@link #setThreadCount}.
 */
public final class OnDemandWorkers implements ThreadPool {
  /** Long enough that a run of backups (a sync group's, a retry) reuses its threads. */
  static final Duration IDLE = Duration.ofSeconds(60);
  private static final Logger log = LoggerFactory.getLogger(OnDemandWorkers.class);

  private final Object lock = new Object();
  /** The threads made and not yet seen ended, which a stop joins. */
  private final Set<Thread> made = ConcurrentHashMap.newKeySet();
  private int count;
  private String schedulerName = "Quartz";
  private ClassLoader loader;
  private ThreadPoolExecutor threads;
  private int busy;
  private boolean shutDown;

  public void setThreadCount(int count) {
    this.count = count;
  }

  @Override
  public void setInstanceName(String name) {
    schedulerName = name;
  }

  @Override
  public void setInstanceId(String id) {
  }

  @Override
  public int getPoolSize() {
    return count;
  }

  @Override
  public void initialize() throws SchedulerConfigException {
    if (count <= 0) {
      throw new SchedulerConfigException("threadCount must be at least 1, not " + count);
    }
    // the threads start later, from Quartz's scheduler thread: they get the class loader of the web app that made the pool, as
    // SimpleThreadPool's, started here, did
    loader = Thread.currentThread().getContextClassLoader();
    AtomicInteger numbers = new AtomicInteger();
    // No core threads, and a queue that takes a job only into the hands of an idle thread: a job runs on an idle thread when
    // there is one, else on a new one (up to count). Core threads, as before, were started for each of the first count jobs
    // while others sat idle: the standing jobs of the first minute after a start left five threads where one did.
    threads = new ThreadPoolExecutor(0, count, IDLE.toMillis(), TimeUnit.MILLISECONDS, new HandOver(),
        job -> thread(job, schedulerName + "_Worker-" + numbers.incrementAndGet()), (job, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("the workers are shut down");
          }
          // all count threads exist and none waits, yet Quartz counted one free: a job has ended on it just now, and that
          // thread takes this one as it asks for its next
          pool.getQueue().add(job);
        });
  }

  /** A job queue whose offer succeeds only when an idle thread waits to take the job at once. */
  private static final class HandOver extends LinkedTransferQueue<Runnable> {
    @Override
    public boolean offer(Runnable job) {
      return tryTransfer(job);
    }
  }

  @Override
  public boolean runInThread(Runnable job) {
    boolean last;
    synchronized (lock) {
      if (job == null || threads == null) {
        return false;
      }
      busy++;
      last = shutDown;
    }
    Runnable counted = () -> {
      try {
        job.run();
      } catch (RuntimeException e) {
        JobFailures.log(log, e, "A Quartz job (its own handling let this through)", "it runs again at its next trigger");
      } catch (Error e) {
        log.error("A Quartz job ended with an error its own handling let through", e);
      } finally {
        ended();
      }
    };
    if (!last) {
      try {
        threads.execute(counted);
        return true;
      } catch (RejectedExecutionException e) { // shut down since the check above
      }
    }
    // as SimpleThreadPool: a trigger Quartz took while it was being shut down still runs, on a thread of its own (refusing it
    // would make Quartz put the job's triggers in ERROR, which the cluster's store keeps)
    thread(counted, schedulerName + "_Worker-LastJob").start();
    return true;
  }

  private Thread thread(Runnable job, String name) {
    made.removeIf(t -> !t.isAlive());
    Thread thread = new Thread(job, name);
    made.add(thread);
    thread.setDaemon(true);
    thread.setContextClassLoader(loader);
    return thread;
  }

  private void ended() {
    synchronized (lock) {
      busy--;
      lock.notifyAll();
    }
  }

  @Override
  public int blockForAvailableThreads() {
    synchronized (lock) {
      while (busy >= count && !shutDown) {
        try {
          lock.wait(500);
        } catch (InterruptedException ignored) {
          // as SimpleThreadPool: Quartz's scheduler thread is halted by a flag and a signal, never by an interrupt; keeping the
          // interrupt would make every later wait here return at once
        }
      }
      return Math.max(0, count - busy);
    }
  }

  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    synchronized (lock) {
      shutDown = true;
      lock.notifyAll();
    }
    if (threads != null) {
      threads.shutdown(); // idle threads end now; running jobs are not interrupted, as SimpleThreadPool does not interrupt them
    }
    if (waitForJobsToComplete) {
      try {
        synchronized (lock) {
          while (busy > 0) {
            lock.wait(500);
          }
        }
        // the idle threads, interrupted by the executor's shutdown, end at once: a servlet container that stops the application
        // finds none of them (SimpleThreadPool's idle workers noticed the stop only at their next 500 ms poll, and every stop
        // waited that out)
        for (Thread thread : made) {
          thread.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
