package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.sync.SyncRun;
import io.piholecheckpoint.core.sync.SyncRunRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sync runs in memory, as the MyBatis repository keeps them. */
public final class InMemorySyncRuns implements SyncRunRepository {
  private final List<SyncRun> runs = new ArrayList<>();

  @Override
  public synchronized SyncRun insert(SyncRun run) {
    SyncRun stored = run.withId(runs.size() + 1L);
    runs.add(stored);
    return stored;
  }

  @Override
  public synchronized List<SyncRun> findByGroup(String group, Long before, int limit) {
    return runs.stream().filter(r -> r.group().equals(group)).filter(r -> before == null || r.id() < before)
        .sorted(Comparator.comparingLong(SyncRun::id).reversed()).limit(limit).toList();
  }

  @Override
  public synchronized boolean hasSnapshot(String group, long replicaId) {
    return runs.stream().anyMatch(r -> r.group().equals(group) && r.replicaId() == replicaId && r.snapshotId() != null);
  }
}
