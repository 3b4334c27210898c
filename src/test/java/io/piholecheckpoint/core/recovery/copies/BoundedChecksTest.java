package io.piholecheckpoint.core.recovery.copies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedChecksTest {

  @Test
  void checksOfManyCopiesRunEightAtOnceAndNeverMoreAndAnswerInTheirOrder() {
    List<Integer> copies = IntStream.range(0, 40).boxed().toList();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory counted = r -> {
      threads.incrementAndGet();
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    };
    CountDownLatch eightUnderWay = new CountDownLatch(BoundedChecks.MAX_AT_ONCE);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();

    List<String> results = BoundedChecks.run(copies, copy -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      eightUnderWay.countDown();
      try {
        // the first ones go on only once eight are under way at the same time: eight do run side by side
        assertThat(eightUnderWay.await(30, TimeUnit.SECONDS)).as("eight checks under way at once").isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        running.decrementAndGet();
      }
      return "checked " + copy;
    }, BoundedChecks.MAX_AT_ONCE, counted);

    assertThat(results).containsExactlyElementsOf(copies.stream().map(c -> "checked " + c).toList());
    assertThat(most.get()).isEqualTo(8);
    assertThat(threads.get()).as("threads made for 40 checks").isEqualTo(8);
  }

  @Test
  void oneCheckRunsInTheCallersThread() {
    Thread caller = Thread.currentThread();

    List<Boolean> here = BoundedChecks.run(List.of("only"), copy -> Thread.currentThread() == caller);

    assertThat(here).containsExactly(true);
  }
}
