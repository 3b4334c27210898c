package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.sync.SyncGroup;
import io.piholecheckpoint.core.syncgroup.ManagedSyncGroup;
import io.piholecheckpoint.core.syncgroup.SyncGroupRepository;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

public class MyBatisSyncGroupRepository implements SyncGroupRepository {
  private final NamedSettings<SyncGroupMapper> table;

  public MyBatisSyncGroupRepository(Database database, Clock clock) {
    this.table = new NamedSettings<>(database, clock, SyncGroupMapper.class, SettingChangeMapper.SYNC_GROUPS);
  }

  @Override
  public List<ManagedSyncGroup> findAll() {
    return table.findAll().entrySet().stream().map(e -> new ManagedSyncGroup(e.getKey(), e.getValue())).toList();
  }

  @Override
  public Optional<ManagedSyncGroup> find(String name) {
    return table.find(name).map(settings -> new ManagedSyncGroup(name, settings));
  }

  @Override
  public long changes() {
    return table.changes();
  }

  @Override
  public void save(ManagedSyncGroup group) {
    table.save(group.name(), group.settings());
  }

  @Override
  public void delete(String name) {
    table.delete(name, m -> m.deleteRuns(SyncGroup.idOf(name)));
  }
}
