package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupRepository;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisBackupRepository implements BackupRepository {
  private final Database database;

  public MyBatisBackupRepository(Database database) {
    this.database = database;
  }

  @Override
  public Backup insert(Backup backup) {
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper mapper = session.getMapper(BackupMapper.class);
      mapper.insert(backup);
      long id = mapper.lastInsertId();
      session.commit();
      return new Backup(id, backup.instanceId(), backup.status(), backup.trigger(), backup.fileName(), backup.sizeBytes(),
          backup.sha256(), backup.piholeVersion(), backup.errorCode(), backup.errorMessage(), backup.startedAt(), backup.finishedAt());
    }
  }

  @Override
  public Optional<Backup> findById(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(BackupMapper.class).findById(id));
    }
  }

  @Override
  public List<Backup> findByInstance(long instanceId, int limit) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(BackupMapper.class).findByInstance(instanceId, limit);
    }
  }

  @Override
  public List<Backup> findSuccessful(long instanceId) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(BackupMapper.class).findSuccessful(instanceId);
    }
  }

  @Override
  public Optional<Backup> findLatest() {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(BackupMapper.class).findLatest());
    }
  }

  @Override
  public Optional<Backup> findLatestSuccess(long instanceId) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(BackupMapper.class).findLatestSuccess(instanceId));
    }
  }

  @Override
  public void delete(long id) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(BackupMapper.class).delete(id);
      session.commit();
    }
  }
}
