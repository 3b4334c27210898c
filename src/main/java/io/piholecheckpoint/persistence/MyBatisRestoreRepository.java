package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisRestoreRepository implements RestoreRepository {
  private final Database database;
  private final String node;

  public MyBatisRestoreRepository(Database database) {
    this(database, null);
  }

  /** @param node this process's NODE_NAME, kept with each restore it runs */
  public MyBatisRestoreRepository(Database database, String node) {
    this.database = database;
    this.node = node;
  }

  @Override
  public Restore insert(Restore restore) {
    try (SqlSession session = database.sessions().openSession(false)) {
      RestoreMapper mapper = session.getMapper(RestoreMapper.class);
      if (Integer.valueOf(1).equals(mapper.backupDeleting(restore.backupId()))) {
        throw new BackupConflictException("backup %d is being deleted; restore another backup".formatted(restore.backupId()));
      }
      mapper.insert(RestoreRow.of(restore), node);
      long id = mapper.lastInsertId();
      session.commit();
      return new Restore(id, restore.backupId(), restore.targetId(), restore.mode(), restore.state(), restore.snapshotId(), restore.message(),
          restore.refusedSettings(), restore.differences(), restore.startedAt(), restore.finishedAt());
    }
  }

  @Override
  public void update(Restore restore) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(RestoreMapper.class).update(RestoreRow.of(restore));
      session.commit();
    }
  }

  @Override
  public java.util.Set<Long> unfinishedSources() {
    try (SqlSession session = database.sessions().openSession()) {
      return java.util.Set.copyOf(session.getMapper(RestoreMapper.class).findUnfinishedSources());
    }
  }

  @Override
  public int markInterrupted(java.time.Instant now) {
    return markInterrupted(null, "Pi-hole Checkpoint stopped", now);
  }

  /**
   * Marks the restores a stopped process left queued or running as failed, or (with a safety backup taken) unverified.
   *
   * @param node only those this node ran; null for every one
   * @param who what stopped, as the records say it: "node B stopped checking in at …"
   */
  public int markInterrupted(String node, String who, java.time.Instant now) {
    return interrupt(node, who, now).size();
  }

  /**
   * As {@link #markInterrupted(String, String, java.time.Instant)}, answering the restores marked as they are recorded now (what
   * each says to do), so that each can be named in the log.
   */
  public List<Restore> interrupt(String node, String who, java.time.Instant now) {
    try (SqlSession session = database.sessions().openSession(false)) {
      RestoreMapper mapper = session.getMapper(RestoreMapper.class);
      List<Long> unfinished = mapper.findUnfinished(node);
      if (unfinished.isEmpty()) {
        return List.of();
      }
      mapper.markInterrupted(node, who, now);
      List<Restore> marked = unfinished.stream().map(mapper::findById).map(RestoreRow::toRestore).toList();
      session.commit();
      return marked;
    }
  }

  @Override
  public Optional<Restore> findById(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(RestoreMapper.class).findById(id)).map(RestoreRow::toRestore);
    }
  }

  @Override
  public List<Restore> findByTarget(long targetId, int limit) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(RestoreMapper.class).findByTarget(targetId, limit).stream().map(RestoreRow::toRestore).toList();
    }
  }
}
