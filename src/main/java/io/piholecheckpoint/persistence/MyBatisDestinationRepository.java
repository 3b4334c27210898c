package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.destination.DestinationRepository;
import io.piholecheckpoint.core.destination.ManagedDestination;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

public class MyBatisDestinationRepository implements DestinationRepository {
  private final NamedSettings<DestinationMapper> table;

  public MyBatisDestinationRepository(Database database, Clock clock) {
    this.table = new NamedSettings<>(database, clock, DestinationMapper.class, SettingChangeMapper.DESTINATIONS);
  }

  @Override
  public List<ManagedDestination> findAll() {
    return table.findAll().entrySet().stream().map(e -> new ManagedDestination(e.getKey(), e.getValue())).toList();
  }

  @Override
  public Optional<ManagedDestination> find(String name) {
    return table.find(name).map(settings -> new ManagedDestination(name, settings));
  }

  @Override
  public long changes() {
    return table.changes();
  }

  @Override
  public void save(ManagedDestination destination) {
    table.save(destination.name(), destination.settings());
  }

  @Override
  public void delete(String name) {
    table.delete(name, m -> {
      m.deleteCopies(name);
      m.deleteCatchUp(name);
    });
  }

  @Override
  public void deleteSettings(String name) {
    table.delete(name, m -> { });
  }
}
