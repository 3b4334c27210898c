package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.RunMarkers;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.session.SqlSession;

/** Each call its own committed transaction: the marker must be on disk before the download starts. */
public class MyBatisRunMarkers implements RunMarkers {
  private final Database database;

  public MyBatisRunMarkers(Database database) {
    this.database = database;
  }

  @Override
  public void started(long instanceId, Backup.Trigger trigger, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(BackupRunMapper.class).insert(new Marker(instanceId, trigger, at));
      session.commit();
    }
  }

  @Override
  public void ended(long instanceId) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(BackupRunMapper.class).delete(instanceId);
      session.commit();
    }
  }

  @Override
  public List<Marker> takeAll() {
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupRunMapper mapper = session.getMapper(BackupRunMapper.class);
      List<Marker> left = mapper.findAll();
      mapper.deleteAll();
      session.commit();
      return left;
    }
  }
}
