package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommittedReadsTest {
  private final AtomicLong version = new AtomicLong();
  private final List<String> reads = new ArrayList<>();
  private final CommittedReads<String, List<String>> cache = new CommittedReads<>(key -> {
    reads.add(key);
    return new ArrayList<>(List.of(key));
  }, version::get, 2);

  @Test
  void readsAgainOnlyAfterACommit() {
    List<String> first = cache.get("a");
    assertThat(cache.get("a")).isSameAs(first);
    assertThat(reads).containsExactly("a");

    version.incrementAndGet();

    assertThat(cache.get("a")).isNotSameAs(first).isEqualTo(first);
    assertThat(reads).containsExactly("a", "a");
  }

  @Test
  void keepsEachKeyApart() {
    assertThat(cache.get("a")).containsExactly("a");
    assertThat(cache.get("b")).containsExactly("b");
    cache.get("a");
    cache.get("b");

    assertThat(reads).containsExactly("a", "b");
  }

  @Test
  void keysBeyondTheCapacityAreReadEveryTime() {
    cache.get("a");
    cache.get("b");
    cache.get("c");
    cache.get("c");
    cache.get("a");

    assertThat(reads).containsExactly("a", "b", "c", "c");
  }

  @Test
  void aCommitDuringTheReadIsNotMissed() {
    // the version moves while the rows are read: those rows may predate the commit
    CommittedReads<String, String> racing = new CommittedReads<>(key -> {
      version.incrementAndGet();
      reads.add(key);
      return key;
    }, version::get, 2);

    racing.get("a");
    racing.get("a");

    assertThat(reads).hasSize(2);
  }

  @Test
  void withoutAVersionNothingKeptIsServed() {
    List<String> kept = cache.get("a");
    CommittedReads<String, List<String>> failing = new CommittedReads<>(key -> {
      reads.add(key);
      return List.of(key, "fresh");
    }, () -> {
      throw new IllegalStateException("could not read the data version");
    }, 2);

    assertThat(failing.get("a")).containsExactly("a", "fresh").isNotSameAs(kept);
    assertThat(failing.get("a")).containsExactly("a", "fresh");
    assertThat(reads).containsExactly("a", "a", "a");
  }

  @Test
  void requestsMissingTheSameKeyAtOnceWaitForOneRead() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    CommittedReads<String, String> slow = new CommittedReads<>(key -> {
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return key + "!";
    }, version::get, 2);
    ExecutorService requests = Executors.newFixedThreadPool(8);
    List<Thread> threads = new ArrayList<>();
    List<Future<String>> pages = new ArrayList<>();

    try {
      for (int i = 0; i < 8; i++) {
        pages.add(requests.submit(() -> {
          synchronized (threads) {
            threads.add(Thread.currentThread());
          }
          return slow.get("a");
        }));
      }
      // all eight are parked: one in the read, seven waiting for it (or, were each to read, all in the read)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!allWaiting(threads, 8) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      release.countDown();

      for (Future<String> page : pages) {
        assertThat(page.get(10, TimeUnit.SECONDS)).isEqualTo("a!");
      }
      assertThat(started).hasValue(1);
    } finally {
      release.countDown();
      requests.shutdownNow();
    }
  }

  @Test
  void aRequestThatReadAnOlderVersionIsServedTheNewerRows() {
    // two requests read the version just before and just after a commit; the older must not throw the newer rows away
    Iterator<Long> versions = List.of(5L, 4L, 5L).iterator();
    CommittedReads<String, List<String>> interleaved = new CommittedReads<>(key -> {
      reads.add(key);
      return List.of(key);
    }, versions::next, 2);

    List<String> newer = interleaved.get("a");

    assertThat(interleaved.get("a")).isSameAs(newer);
    assertThat(interleaved.get("a")).isSameAs(newer);
    assertThat(reads).containsExactly("a");
  }

  @Test
  void aFailedReadIsTriedAgainByTheNextRequest() {
    AtomicInteger attempts = new AtomicInteger();
    CommittedReads<String, String> flaky = new CommittedReads<>(key -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("connection reset");
      }
      return key;
    }, version::get, 2);

    assertThatThrownBy(() -> flaky.get("a")).hasMessage("connection reset");

    assertThat(flaky.get("a")).isEqualTo("a");
    assertThat(flaky.get("a")).isEqualTo("a");
    assertThat(attempts).hasValue(2);
  }

  private static boolean allWaiting(List<Thread> threads, int count) {
    synchronized (threads) {
      return threads.size() == count && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
    }
  }
}
