package io.piholecheckpoint.core.archive.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveBusyException;
import io.piholecheckpoint.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArchiveWorkTest {
  private static final Duration SHORT = Duration.ofMillis(50);
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    threads.shutdownNow();
  }

  /** Starts {@code n} holders of a permit each; returns once all of them hold one. */
  private List<Future<?>> holders(ArchiveWork work, int n) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(n);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(threads.submit(() -> work.run(() -> {
        holding.countDown();
        return release.await(1, TimeUnit.MINUTES);
      })));
    }
    assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
    return futures;
  }

  @Test
  void anInteractiveCallerBeyondTheLimitIsToldItIsBusyWithWhenToRetry() throws Exception {
    List<Duration> waited = new java.util.concurrent.CopyOnWriteArrayList<>();
    // the bound is 7 s; the caller is turned away as after it, without the test sitting it out
    ArchiveWork work = new ArchiveWork(2, Duration.ofSeconds(7), (permits, bound) -> {
      waited.add(bound);
      return permits.tryAcquire();
    });
    holders(work, 2);
    Future<?> third = threads.submit(() -> work.run(() -> "ran"));
    assertThatThrownBy(third::get).hasCauseInstanceOf(ArchiveBusyException.class)
        .cause().hasMessageContaining("try again").satisfies(e -> assertThat(((ArchiveBusyException) e).retryAfterSeconds()).isEqualTo(7));
    assertThat(waited).as("two holders and the caller turned away").hasSize(3).containsOnly(Duration.ofSeconds(7));
  }

  @Test
  void neverMoreThanTheLimitRunAtOnceWhateverTheNumberOfCallers() throws Exception {
    ArchiveWork work = new ArchiveWork(2, Duration.ofMinutes(1));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      futures.add(threads.submit(() -> work.patiently(() -> work.run(() -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.yield();
        running.decrementAndGet();
        return null;
      }))));
    }
    for (Future<?> f : futures) {
      f.get(1, TimeUnit.MINUTES);
    }
    assertThat(most.get()).isBetween(1, 2);
  }

  @Test
  void aNestedOperationInTheSameThreadTakesNoSecondPermit() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    String result = work.run(() -> work.run(() -> work.run(() -> "nested")));
    assertThat(result).isEqualTo("nested");
    // and the one permit is free again afterwards
    assertThat(threads.submit(() -> work.run(() -> "after")).get(1, TimeUnit.MINUTES)).isEqualTo("after");
  }

  @Test
  void theInnerEndOfANestedOperationKeepsThePermitUntilTheOuterEnds() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    try (ArchiveWork.Permit outer = work.take()) {
      work.run(() -> null);
      Future<?> other = threads.submit(() -> work.run(() -> "other"));
      assertThatThrownBy(other::get).hasCauseInstanceOf(ArchiveBusyException.class);
    }
  }

  @Test
  void patientWorkWaitsForAPermitInsteadOfFailing() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    List<Future<?>> holder = holders(work, 1);
    CompletableFuture<String> scheduled = CompletableFuture.supplyAsync(() -> work.patiently(() -> work.run(() -> "backed up")), threads);
    Eventually.until("the scheduled work waits for the permit", Duration.ofMinutes(1), () -> threadWaiting(work));
    assertThat(scheduled).isNotDone();
    release.countDown();
    holder.get(0).get(1, TimeUnit.MINUTES);
    assertThat(scheduled.get(1, TimeUnit.MINUTES)).isEqualTo("backed up");
  }

  @Test
  void aCallerThatWasTurnedAwayLeavesThePermitsAsTheyWere() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    List<Future<?>> holder = holders(work, 1);
    assertThatThrownBy(() -> threads.submit(() -> work.run(() -> null)).get()).hasCauseInstanceOf(ArchiveBusyException.class);
    release.countDown();
    holder.get(0).get(1, TimeUnit.MINUTES);
    assertThat(work.run(() -> "free")).isEqualTo("free");
    assertThat(threads.submit(() -> work.run(() -> "still one")).get(1, TimeUnit.MINUTES)).isEqualTo("still one");
  }

  @Test
  void closingAPermitTwiceReleasesItOnce() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    ArchiveWork.Permit permit = work.take();
    permit.close();
    permit.close();
    try (ArchiveWork.Permit again = work.take()) {
      assertThatThrownBy(() -> threads.submit(() -> work.run(() -> null)).get()).hasCauseInstanceOf(ArchiveBusyException.class);
    }
  }

  @Test
  void patientWorkSaysWhenItWaitsAndWhenItsTurnCame() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    ArchiveWork.Waits waits = new ArchiveWork.Waits() {
      @Override
      public void waiting(java.util.Optional<String> behind) {
        said.add("waiting");
      }

      @Override
      public void turnCame() {
        said.add("turn came");
      }
    };
    assertThat(work.patiently(waits, () -> work.run(() -> "free"))).isEqualTo("free");
    assertThat(said).as("a free permit is no wait").isEmpty();
    List<Future<?>> holder = holders(work, 1);

    CompletableFuture<String> restore = CompletableFuture.supplyAsync(() -> work.patiently(waits, () -> work.run(() -> "restored")), threads);
    Eventually.until("it waits for the permit", Duration.ofMinutes(1), () -> threadWaiting(work));

    assertThat(said).containsExactly("waiting");
    release.countDown();
    holder.get(0).get(1, TimeUnit.MINUTES);
    assertThat(restore.get(1, TimeUnit.MINUTES)).isEqualTo("restored");
    assertThat(said).containsExactly("waiting", "turn came");
  }

  @Test
  void takeNowTakesAFreePermitAndOtherwiseReturnsAtOnceWithout() throws Exception {
    ArchiveWork work = new ArchiveWork(1, Duration.ofMinutes(1));
    try (ArchiveWork.Permit permit = work.takeNow().orElseThrow()) {
      assertThat(work.takeNow()).as("held by this thread: nested").isPresent().get().satisfies(ArchiveWork.Permit::close);

      assertThat(threads.submit(work::takeNow).get(1, TimeUnit.MINUTES)).as("held by another thread: no wait of a minute").isEmpty();
    }
    assertThat(threads.submit(() -> work.run(() -> "free again")).get(1, TimeUnit.MINUTES)).isEqualTo("free again");
  }

  @Test
  void aPatientWaitCutOffByAStopSaysItWasInterrupted() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    holders(work, 1);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread backup = new Thread(() -> {
      try {
        work.patiently(() -> work.run(() -> "backed up"));
      } catch (RuntimeException e) {
        failure.complete(e);
      }
    });
    backup.start();
    Eventually.until("it waits for the permit", Duration.ofMinutes(1), () -> threadWaiting(work));

    backup.interrupt();

    assertThat(failure.get(1, TimeUnit.MINUTES)).isInstanceOf(ArchiveBusyException.class).hasCauseInstanceOf(InterruptedException.class);
  }

  /** Starts a holder of a permit that names its work {@code doing} (none when null); returns once it holds the permit. */
  private Future<?> namedHolder(ArchiveWork work, String doing) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    Future<?> holder = threads.submit(() -> {
      try (ArchiveWork.Doing named = doing == null ? () -> { } : work.doing(doing)) {
        return work.run(() -> {
          holding.countDown();
          return release.await(1, TimeUnit.MINUTES);
        });
      }
    });
    assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
    return holder;
  }

  @Test
  void patientWorkThatWaitsSaysWhichWorkHoldsTheTurns() throws Exception {
    ArchiveWork work = new ArchiveWork(2, SHORT);
    Future<?> home = namedHolder(work, "a restore to 'Home'");
    Future<?> office = namedHolder(work, "a backup of 'Office'");
    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    ArchiveWork.Steps steps = new ArchiveWork.Steps(said::add);
    steps.now("checking backup 5");

    CompletableFuture<String> restore = CompletableFuture.supplyAsync(() -> work.patiently(steps, () -> work.run(() -> "restored")), threads);
    Eventually.until("it waits for a permit", Duration.ofMinutes(1), () -> threadWaiting(work));

    assertThat(said).containsExactly("checking backup 5",
        "checking backup 5: waiting for its turn, taken by a backup of 'Office' and a restore to 'Home' (ARCHIVE_PARALLEL at once)");
    release.countDown();
    assertThat(restore.get(1, TimeUnit.MINUTES)).isEqualTo("restored");
    // the restore may take the first permit let go while the other holder is still letting go of its own
    home.get(1, TimeUnit.MINUTES);
    office.get(1, TimeUnit.MINUTES);
    assertThat(work.busyWith()).as("no turn is held now").isEmpty();
  }

  @Test
  void workWithoutANameIsSaidToBeOtherArchiveWork() throws Exception {
    ArchiveWork work = new ArchiveWork(3, SHORT);
    assertThat(work.busyWith()).isEmpty();
    namedHolder(work, null);
    assertThat(work.busyWith()).as("nothing known by name: the general line stays").isEmpty();

    namedHolder(work, "a sync of 'Home' (group home)");

    assertThat(work.busyWith()).contains("a sync of 'Home' (group home) and other archive work (checks, previews, diffs)");
    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    ArchiveWork.Steps steps = new ArchiveWork.Steps(said::add);
    steps.waiting(java.util.Optional.empty());
    assertThat(said).containsExactly(
        "started: waiting for its turn, as other archive work (backups' checks, previews, diffs) takes every turn (ARCHIVE_PARALLEL)");
  }

  @Test
  void aNameHoldsUntilClosedAndANestedOneGivesWayToTheOuterOne() throws Exception {
    ArchiveWork work = new ArchiveWork(1, SHORT);
    try (ArchiveWork.Doing restore = work.doing("a restore to 'Home'"); ArchiveWork.Permit permit = work.take()) {
      try (ArchiveWork.Doing safety = work.doing("the safety backup of 'Home'")) {
        assertThat(threads.submit(work::busyWith).get(1, TimeUnit.MINUTES)).contains("the safety backup of 'Home'");
      }
      assertThat(threads.submit(work::busyWith).get(1, TimeUnit.MINUTES)).contains("a restore to 'Home'");
    }
    assertThat(work.busyWith()).isEmpty();
  }

  @Test
  void noPermitsIsRefused() {
    assertThatThrownBy(() -> new ArchiveWork(0, SHORT)).isInstanceOf(IllegalArgumentException.class);
  }

  private static boolean threadWaiting(ArchiveWork work) {
    return work.waiting() > 0;
  }
}
