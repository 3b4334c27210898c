package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.RunEnd;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import org.apache.ibatis.session.SqlSession;

/** The record, the status and the marker's removal in one transaction: one commit, one WAL fsync. */
public class MyBatisRunEnd implements RunEnd {
  private final Database database;
  private final Clock clock;

  public MyBatisRunEnd(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public Backup write(Backup record, PiholeInstance.Status status) {
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper backups = session.getMapper(BackupMapper.class);
      backups.insert(record);
      long id = backups.lastInsertId();
      if (status != null) {
        session.getMapper(InstanceMapper.class).updateStatus(record.instanceId(), status, clock.instant());
      }
      session.getMapper(BackupRunMapper.class).delete(record.instanceId());
      session.commit();
      return record.withId(id);
    }
  }
}
