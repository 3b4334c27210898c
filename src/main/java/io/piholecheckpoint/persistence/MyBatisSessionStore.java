package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.access.SessionStore;
import java.time.Instant;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisSessionStore implements SessionStore {
  private final Database database;

  public MyBatisSessionStore(Database database) {
    this.database = database;
  }

  @Override
  public void insert(String idHash, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SessionMapper.class).insert(idHash, at);
      session.commit();
    }
  }

  @Override
  public Optional<Instant> lastSeen(String idHash) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(SessionMapper.class).findLastSeen(idHash));
    }
  }

  @Override
  public void seen(String idHash, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SessionMapper.class).updateLastSeen(idHash, at);
      session.commit();
    }
  }

  @Override
  public void delete(String idHash) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SessionMapper.class).delete(idHash);
      session.commit();
    }
  }

  @Override
  public int deleteIdleSince(Instant cutoff) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int n = session.getMapper(SessionMapper.class).deleteIdleSince(cutoff);
      session.commit();
      return n;
    }
  }

  @Override
  public String sharedSecret(String name, String generated, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SessionMapper mapper = session.getMapper(SessionMapper.class);
      mapper.insertSecret(name, generated, at);
      String value = mapper.findSecret(name);
      session.commit();
      return value;
    }
  }
}
