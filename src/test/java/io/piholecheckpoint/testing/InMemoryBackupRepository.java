package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

public final class InMemoryBackupRepository implements BackupRepository {
  private static final Comparator<Backup> NEWEST_FIRST = Comparator.comparing(Backup::finishedAt).thenComparing(Backup::id).reversed();
  private final List<Backup> backups = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  @Override
  public synchronized Backup insert(Backup b) {
    Backup stored = new Backup(ids.incrementAndGet(), b.instanceId(), b.status(), b.trigger(), b.fileName(), b.sizeBytes(), b.sha256(),
        b.piholeVersion(), b.errorCode(), b.errorMessage(), b.startedAt(), b.finishedAt());
    backups.add(stored);
    return stored;
  }

  @Override
  public synchronized Optional<Backup> findById(long id) {
    return backups.stream().filter(b -> b.id() == id).findFirst();
  }

  @Override
  public synchronized List<Backup> findByInstance(long instanceId, int limit) {
    return backups.stream().filter(b -> b.instanceId() == instanceId).sorted(NEWEST_FIRST).limit(limit).toList();
  }

  @Override
  public synchronized List<Backup> findSuccessful(long instanceId) {
    return backups.stream().filter(b -> b.instanceId() == instanceId && b.successful()).sorted(NEWEST_FIRST).toList();
  }

  @Override
  public synchronized Optional<Backup> findLatest() {
    return backups.stream().sorted(NEWEST_FIRST).findFirst();
  }

  @Override
  public synchronized Optional<Backup> findLatestSuccess(long instanceId) {
    return findSuccessful(instanceId).stream().findFirst();
  }

  @Override
  public synchronized void delete(long id) {
    backups.removeIf(b -> b.id() == id);
  }

  public synchronized List<Backup> all() {
    return List.copyOf(backups);
  }
}
