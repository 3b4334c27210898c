package io.piholecheckpoint.persistence;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;

/**
 * The home folders SFTP servers gave their users, kept across restarts: a {@code /~/} destination's
 * place is then known at the check of the settings at start, not only after its first connection.
 */
public final class MyBatisSftpHomes {
  private final Database database;
  private final Clock clock;

  public MyBatisSftpHomes(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Every home learned, by {@code user@host:port}. */
  public Map<String, String> findAll() {
    try (SqlSession session = database.sessions().openSession(true)) {
      Map<String, String> homes = new LinkedHashMap<>();
      session.getMapper(OffsitePlaceMapper.class).findSftpHomes().forEach(row -> homes.put(row.server(), row.home()));
      return homes;
    }
  }

  public void save(String server, String home) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(OffsitePlaceMapper.class).saveSftpHome(server, home, clock.instant());
      session.commit();
    }
  }
}
