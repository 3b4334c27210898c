package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Sync runs in memory, as the MyBatis repository keeps them. */
public final class InMemorySyncRuns implements SyncRunRepository {
  private final List<SyncRun> runs = new ArrayList<>();
  private final Map<String, Running> under = new ConcurrentHashMap<>();
  private final String node;

  public InMemorySyncRuns() {
    this("test-node");
  }

  /** @param node the node whose runs {@link #started} notes */
  public InMemorySyncRuns(String node) {
    this.node = node;
  }

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
  public synchronized List<SyncRun> findByIds(List<Long> ids) {
    return ids.stream().flatMap(id -> runs.stream().filter(r -> r.id() == id)).toList();
  }

  @Override
  public synchronized boolean hasSnapshot(String group, long replicaId) {
    return runs.stream().anyMatch(r -> r.group().equals(group) && r.replicaId() == replicaId && r.snapshotId() != null);
  }

  @Override
  public synchronized List<Standing> standings(String group) {
    Map<Long, List<SyncRun>> byReplica = runs.stream().filter(r -> r.group().equals(group)).collect(Collectors.groupingBy(SyncRun::replicaId));
    return byReplica.values().stream().map(list -> {
      SyncRun last = list.get(list.size() - 1);
      SyncRun success = list.stream().filter(r -> r.outcome() == SyncRun.Outcome.SYNCED || r.outcome() == SyncRun.Outcome.IN_SYNC || r.outcome() == SyncRun.Outcome.PARTIAL).reduce((a, b) -> b).orElse(null);
      Instant failingSince = list.stream().filter(r -> r.outcome() == SyncRun.Outcome.FAILED && (success == null || r.id() > success.id()))
          .map(SyncRun::startedAt).findFirst().orElse(null);
      return new Standing(last, success == null ? null : success.finishedAt(), failingSince);
    }).toList();
  }

  @Override
  public void started(String group, Instant at) {
    under.put(group, new Running(group, node, at));
  }

  @Override
  public void reached(String group, long replicaId) {
    under.computeIfPresent(group, (g, r) -> node.equals(r.node()) ? new Running(g, r.node(), r.startedAt(), replicaId, null) : r);
  }

  @Override
  public void snapshotTaken(String group, long replicaId, long snapshotId) {
    under.computeIfPresent(group, (g, r) -> node.equals(r.node()) ? new Running(g, r.node(), r.startedAt(), replicaId, snapshotId) : r);
  }

  @Override
  public void ended(String group) {
    under.remove(group);
  }

  @Override
  public Optional<Running> running(String group) {
    return Optional.ofNullable(under.get(group));
  }

  @Override
  public synchronized List<Running> takeLeft(String of) {
    List<Running> left = under.values().stream().filter(r -> of == null || of.equals(r.node())).toList();
    left.forEach(r -> under.remove(r.group()));
    return left;
  }
}
