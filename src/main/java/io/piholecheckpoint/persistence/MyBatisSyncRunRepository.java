package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.ibatis.session.SqlSession;

public class MyBatisSyncRunRepository implements SyncRunRepository {
  private final Database database;
  private final String node;

  public MyBatisSyncRunRepository(Database database) {
    this(database, null);
  }

  /** @param node this process's NODE_NAME, kept with each run it has under way */
  public MyBatisSyncRunRepository(Database database, String node) {
    this.database = database;
    this.node = node;
  }

  @Override
  public SyncRun insert(SyncRun run) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SyncRunMapper mapper = session.getMapper(SyncRunMapper.class);
      SyncRunRow row = SyncRunRow.of(run);
      String key = RunKeys.of(row);
      mapper.insert(row, key);
      long id = mapper.idOfRun(key); // this try's row, or the one an earlier try committed before its reply was lost
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
  public List<SyncRun> findByIds(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    try (SqlSession session = database.sessions().openSession(true)) {
      Map<Long, SyncRun> found = session.getMapper(SyncRunMapper.class).findByIds(ids).stream().map(SyncRunRow::toRun)
          .collect(Collectors.toMap(SyncRun::id, Function.identity()));
      return ids.stream().filter(found::containsKey).map(found::get).toList();
    }
  }

  @Override
  public boolean hasSnapshot(String group, long replicaId) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(SyncRunMapper.class).countSnapshots(group, replicaId) > 0;
    }
  }

  @Override
  public List<Standing> standings(String group) {
    try (SqlSession session = database.sessions().openSession(true)) {
      SyncRunMapper mapper = session.getMapper(SyncRunMapper.class);
      List<SyncStandingRow> rows = mapper.standings(group);
      if (rows.isEmpty()) {
        return List.of();
      }
      Map<Long, SyncRun> last = mapper.findByIds(rows.stream().map(SyncStandingRow::lastId).toList()).stream()
          .map(SyncRunRow::toRun).collect(Collectors.toMap(SyncRun::id, Function.identity()));
      return rows.stream().map(r -> new Standing(last.get(r.lastId()), r.lastSuccessAt(), r.failingSince())).toList();
    }
  }

  @Override
  public void started(String group, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SyncRunMapper.class).insertTurn(group, node, at);
      session.commit();
    }
  }

  @Override
  public void reached(String group, long replicaId) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SyncRunMapper.class).updateTurnSnapshot(group, node, replicaId, null);
      session.commit();
    }
  }

  @Override
  public void snapshotTaken(String group, long replicaId, long snapshotId) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SyncRunMapper.class).updateTurnSnapshot(group, node, replicaId, snapshotId);
      session.commit();
    }
  }

  @Override
  public void ended(String group) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SyncRunMapper.class).deleteTurn(group, node, null);
      session.commit();
    }
  }

  @Override
  public Optional<Running> running(String group) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(SyncRunMapper.class).findTurn(group));
    }
  }

  /** Each note is taken by one node only: of two that read it, the one whose delete removed it. */
  @Override
  public List<Running> takeLeft(String of) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SyncRunMapper mapper = session.getMapper(SyncRunMapper.class);
      List<Running> taken = mapper.findTurns(of).stream().filter(r -> mapper.deleteTurn(r.group(), r.node(), r.startedAt()) == 1).toList();
      session.commit();
      return taken;
    }
  }
}
