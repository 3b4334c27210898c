package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.syncgroup.ManagedSyncGroup;
import io.piholecheckpoint.core.syncgroup.SyncGroupRepository;
import io.piholecheckpoint.core.syncgroup.SyncGroupRepository.Deletion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisSyncGroupRepository implements SyncGroupRepository {
  private final Database database;
  private final Clock clock;

  public MyBatisSyncGroupRepository(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public List<ManagedSyncGroup> findAll() {
    try (SqlSession session = database.sessions().openSession(true)) {
      return group(session.getMapper(SyncGroupMapper.class).findAll());
    }
  }

  @Override
  public Optional<ManagedSyncGroup> find(String name) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return group(session.getMapper(SyncGroupMapper.class).findByName(name)).stream().findFirst();
    }
  }

  @Override
  public long changes() {
    return SettingChangeMapper.changes(database, SettingChangeMapper.SYNC_GROUPS);
  }

  /**
   * The insert that finds the name taken does nothing (ON CONFLICT): of two nodes adding one name at
   * once, the second waits for the first's commit and then writes nothing, instead of failing on the key.
   */
  @Override
  public boolean add(ManagedSyncGroup group) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SyncGroupMapper mapper = session.getMapper(SyncGroupMapper.class);
      if (mapper.insert(group.name(), clock.instant()) == 0) {
        return false; // closed without a commit: rolled back
      }
      group.settings().forEach((suffix, value) -> mapper.insertSetting(group.name(), suffix, value));
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.SYNC_GROUPS);
      session.commit();
      return true;
    }
  }

  @Override
  public boolean save(ManagedSyncGroup group) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SyncGroupMapper mapper = session.getMapper(SyncGroupMapper.class);
      if (mapper.touch(group.name(), clock.instant()) == 0) {
        return false;
      }
      mapper.deleteSettings(group.name());
      group.settings().forEach((suffix, value) -> mapper.insertSetting(group.name(), suffix, value));
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.SYNC_GROUPS);
      session.commit();
      return true;
    }
  }

  /**
   * The group's row is written first, as {@link #save} does: its row lock (PostgreSQL) or the write
   * lock (SQLite) has a second delete or a save wait for this one's commit and then find no row,
   * instead of both deleting (or a save writing settings for a group deleted under it).
   */
  @Override
  public Deletion delete(String name) {
    try (SqlSession session = database.sessions().openSession(false)) {
      SyncGroupMapper mapper = session.getMapper(SyncGroupMapper.class);
      if (mapper.touch(name, clock.instant()) == 0) {
        return Deletion.GONE; // closed without a commit: nothing changed
      }
      Optional<String> runningOn = mapper.findRunningOn(SyncGroup.idOf(name)).stream().findFirst();
      if (runningOn.isPresent()) {
        return Deletion.runningOn(runningOn.get());
      }
      mapper.deleteRuns(SyncGroup.idOf(name));
      mapper.deleteSettings(name);
      mapper.delete(name);
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.SYNC_GROUPS);
      session.commit();
      return Deletion.DONE;
    }
  }

  private static List<ManagedSyncGroup> group(List<SyncGroupSettingRow> rows) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.computeIfAbsent(r.syncGroup(), n -> new HashMap<>()).put(r.suffix(), r.value()));
    List<ManagedSyncGroup> all = new ArrayList<>();
    byName.forEach((name, settings) -> all.add(new ManagedSyncGroup(name, settings)));
    return all;
  }
}
