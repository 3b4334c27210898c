package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.destination.DestinationRepository;
import io.piholecheckpoint.core.destination.ManagedDestination;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

public class MyBatisDestinationRepository implements DestinationRepository {
  private final Database database;
  private final Clock clock;

  public MyBatisDestinationRepository(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public List<ManagedDestination> findAll() {
    try (SqlSession session = database.sessions().openSession(true)) {
      return group(session.getMapper(DestinationMapper.class).findAll());
    }
  }

  @Override
  public Optional<ManagedDestination> find(String name) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return group(session.getMapper(DestinationMapper.class).findByName(name)).stream().findFirst();
    }
  }

  @Override
  public long changes() {
    return SettingChangeMapper.changes(database, SettingChangeMapper.DESTINATIONS);
  }

  @Override
  public void save(ManagedDestination destination) {
    try (SqlSession session = database.sessions().openSession(false)) {
      DestinationMapper mapper = session.getMapper(DestinationMapper.class);
      if (mapper.countByName(destination.name()) == 0) {
        mapper.insert(destination.name(), clock.instant());
      } else {
        mapper.touch(destination.name(), clock.instant());
        mapper.deleteSettings(destination.name());
      }
      destination.settings().forEach((suffix, value) -> mapper.insertSetting(destination.name(), suffix, value));
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.DESTINATIONS);
      session.commit();
    }
  }

  @Override
  public void delete(String name) {
    try (SqlSession session = database.sessions().openSession(false)) {
      DestinationMapper mapper = session.getMapper(DestinationMapper.class);
      mapper.deleteCopies(name);
      mapper.deleteCatchUp(name);
      mapper.deleteSettings(name);
      mapper.delete(name);
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.DESTINATIONS);
      session.commit();
    }
  }

  @Override
  public void deleteSettings(String name) {
    try (SqlSession session = database.sessions().openSession(false)) {
      DestinationMapper mapper = session.getMapper(DestinationMapper.class);
      mapper.deleteSettings(name);
      mapper.delete(name);
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.DESTINATIONS);
      session.commit();
    }
  }

  private static List<ManagedDestination> group(List<DestinationSettingRow> rows) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.computeIfAbsent(r.destination(), n -> new HashMap<>()).put(r.suffix(), r.value()));
    List<ManagedDestination> all = new ArrayList<>();
    byName.forEach((name, settings) -> all.add(new ManagedDestination(name, settings)));
    return all;
  }
}
