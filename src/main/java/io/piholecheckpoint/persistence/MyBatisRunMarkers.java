package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.ibatis.session.SqlSession;

/** Each call its own committed transaction: the marker must be on disk before the download starts. */
public class MyBatisRunMarkers implements RunMarkers {
  private final Database database;
  private final String node;
  private final Predicate<String> alive;

  /** One node, whose markers are all its own: any left at its start is a run it died in. */
  public MyBatisRunMarkers(Database database) {
    this(database, null, other -> false);
  }

  /**
   * @param node this process's NODE_NAME, written with each marker
   * @param alive whether another node still checks in: its markers are runs under way, not left
   */
  public MyBatisRunMarkers(Database database, String node, Predicate<String> alive) {
    this.database = database;
    this.node = node;
    this.alive = alive;
  }

  @Override
  public void started(long instanceId, Backup.Trigger trigger, Instant at) {
    started(instanceId, trigger, at, false);
  }

  @Override
  public void started(long instanceId, Backup.Trigger trigger, Instant at, boolean safety) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(BackupRunMapper.class).insert(new Marker(instanceId, trigger, at, node, safety));
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
      List<Marker> left = mapper.findAll().stream()
          .filter(m -> m.node() == null || m.node().equals(node) || !alive.test(m.node())).toList();
      left.forEach(m -> mapper.delete(m.instanceId()));
      session.commit();
      return left;
    }
  }

  @Override
  public boolean claim(Marker marker) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int removed = session.getMapper(BackupRunMapper.class).deleteStarted(marker.instanceId(), marker.startedAt());
      session.commit();
      return removed == 1;
    }
  }

  @Override
  public Runner runnerOf(Marker marker) {
    if (Objects.equals(marker.node(), node)) {
      return Runner.THIS_NODE;
    }
    return marker.node() != null && alive.test(marker.node()) ? Runner.LIVE_NODE : Runner.GONE;
  }

  @Override
  public List<Marker> findOf(String runner) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(BackupRunMapper.class).findAll().stream().filter(m -> runner.equals(m.node())).toList();
    }
  }

  @Override
  public Optional<Marker> find(long instanceId) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(BackupRunMapper.class).findByInstance(instanceId));
    }
  }
}
