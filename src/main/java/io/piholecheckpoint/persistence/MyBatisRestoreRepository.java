package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.restore.Restore;
import io.piholecheckpoint.core.restore.RestoreRepository;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisRestoreRepository implements RestoreRepository {
  private final Database database;

  public MyBatisRestoreRepository(Database database) {
    this.database = database;
  }

  @Override
  public Restore insert(Restore restore) {
    try (SqlSession session = database.sessions().openSession(false)) {
      RestoreMapper mapper = session.getMapper(RestoreMapper.class);
      mapper.insert(RestoreRow.of(restore));
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
  public int markInterrupted(java.time.Instant now) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int marked = session.getMapper(RestoreMapper.class).markInterrupted(now);
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
