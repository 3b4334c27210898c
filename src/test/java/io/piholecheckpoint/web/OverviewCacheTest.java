package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.BackupService.InstanceHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OverviewCacheTest {
  private final AtomicLong version = new AtomicLong();
  private final List<List<InstanceHistory>> reads = new ArrayList<>();
  private final OverviewCache cache = new OverviewCache(() -> {
    List<InstanceHistory> overview = new ArrayList<>();
    reads.add(overview);
    return overview;
  }, version::get);

  @Test
  void readsAgainOnlyAfterACommit() {
    List<InstanceHistory> first = cache.get();
    assertThat(cache.get()).isSameAs(first);
    assertThat(reads).hasSize(1);

    version.incrementAndGet();

    assertThat(cache.get()).isNotSameAs(first);
    assertThat(reads).hasSize(2);
  }

  @Test
  void aCommitDuringTheReadIsNotMissed() {
    // the version moves while the rows are read: those rows may predate the commit
    OverviewCache racing = new OverviewCache(() -> {
      version.incrementAndGet();
      reads.add(List.of());
      return List.of();
    }, version::get);

    racing.get();
    racing.get();

    assertThat(reads).hasSize(2);
  }
}
