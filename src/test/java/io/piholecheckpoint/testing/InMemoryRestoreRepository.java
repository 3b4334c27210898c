package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Restores in memory, as the MyBatis repository keeps them; also each message a running restore showed. */
public final class InMemoryRestoreRepository implements RestoreRepository {
  private final Map<Long, Restore> byId = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<String> runningMessages = new CopyOnWriteArrayList<>();

  @Override
  public Restore insert(Restore r) {
    Restore stored = new Restore(ids.incrementAndGet(), r.backupId(), r.targetId(), r.mode(), r.state(), r.snapshotId(), r.message(),
        r.refusedSettings(), r.differences(), r.startedAt(), r.finishedAt());
    byId.put(stored.id(), stored);
    return stored;
  }

  @Override
  public void update(Restore r) {
    byId.put(r.id(), r);
    if (r.state() == Restore.State.RUNNING) {
      runningMessages.add(r.message());
    }
  }

  @Override
  public Set<Long> unfinishedSources() {
    return byId.values().stream().filter(r -> r.state() == Restore.State.QUEUED || r.state() == Restore.State.RUNNING).map(Restore::backupId)
        .collect(Collectors.toSet());
  }

  @Override
  public int markInterrupted(Instant now) {
    return 0;
  }

  @Override
  public Optional<Restore> findById(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<Restore> findByTarget(long targetId, int limit) {
    return byId.values().stream().filter(r -> r.targetId() == targetId).sorted(Comparator.comparingLong(Restore::id).reversed()).limit(limit)
        .toList();
  }

  /** Each message a running restore's record showed, in order, as a page polling it would have seen them. */
  public List<String> runningMessages() {
    return runningMessages;
  }
}
