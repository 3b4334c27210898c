package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisInstanceRepository implements InstanceRepository {
  private final Database database;
  private final Clock clock;

  public MyBatisInstanceRepository(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public List<PiholeInstance> findAll() {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(InstanceMapper.class).findAll().stream().map(InstanceRow::toInstance).toList();
    }
  }

  @Override
  public Optional<PiholeInstance> findById(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(InstanceMapper.class).findById(id)).map(InstanceRow::toInstance);
    }
  }

  @Override
  public Optional<PiholeInstance> findByEnvPrefix(String envPrefix) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(InstanceMapper.class).findByEnvPrefix(envPrefix)).map(InstanceRow::toInstance);
    }
  }

  @Override
  public void saveDefinition(InstanceDefinition definition) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(InstanceMapper.class)
          .upsertDefinition(definition, definition.slug(), definition.schedule().time().toString(), clock.instant());
      session.commit();
    }
  }

  @Override
  public void markRemovedUnlessIn(List<String> present) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(InstanceMapper.class).markRemovedUnlessIn(present, clock.instant());
      session.commit();
    }
  }

  @Override
  public void updateStatus(long id, PiholeInstance.Status status) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(InstanceMapper.class).updateStatus(id, status, clock.instant());
      session.commit();
    }
  }
}
