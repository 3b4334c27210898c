package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.ArrayList;
import java.util.List;
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
}
