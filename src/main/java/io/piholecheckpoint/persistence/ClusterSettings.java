package io.piholecheckpoint.persistence;

import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

/** What every node of a cluster must share (cluster_setting), by name: each write in a transaction of its own. */
public final class ClusterSettings {
  private final Database database;

  public ClusterSettings(Database database) {
    this.database = database;
  }

  public Optional<String> find(String name) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(SchedulerStateMapper.class).findSetting(name));
    }
  }

  /** The database server's clock now: every node's clock is compared with it. */
  public java.time.Instant databaseTime() {
    try (SqlSession session = database.sessions().openSession(true)) {
      return java.time.Instant.ofEpochMilli(session.getMapper(SchedulerStateMapper.class).databaseTime());
    }
  }

  public void put(String name, String value) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SchedulerStateMapper.class).putSetting(name, value);
      session.commit();
    }
  }
}
