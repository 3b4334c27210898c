package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.sync.SyncRun;
import io.piholecheckpoint.core.sync.SyncRunRepository;
import java.util.List;
import org.apache.ibatis.session.SqlSession;

public class MyBatisSyncRunRepository implements SyncRunRepository {
  private final Database database;

  public MyBatisSyncRunRepository(Database database) {
    this.database = database;
  }

  @Override
  public SyncRun insert(SyncRun run) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SyncRunMapper mapper = session.getMapper(SyncRunMapper.class);
      mapper.insert(SyncRunRow.of(run));
      long id = mapper.lastInsertId();
      session.commit();
      return run.withId(id);
    }
  }

  @Override
  public List<SyncRun> findByGroup(String group, Long before, int limit) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(SyncRunMapper.class).findByGroup(group, before, limit).stream().map(SyncRunRow::toRun).toList();
    }
  }

  @Override
  public boolean hasSnapshot(String group, long replicaId) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(SyncRunMapper.class).countSnapshots(group, replicaId) > 0;
    }
  }
}
