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

  /**
   * The insert that finds the name taken does nothing (ON CONFLICT): of two nodes adding one name at
   * once, the second waits for the first's commit and then writes nothing, instead of failing on the key.
   */
  @Override
  public boolean add(ManagedDestination destination) {
    try (SqlSession session = database.sessions().openSession(false)) {
      DestinationMapper mapper = session.getMapper(DestinationMapper.class);
      if (mapper.insert(destination.name(), clock.instant()) == 0) {
        return false; // closed without a commit: rolled back
      }
      writeSettings(session, destination);
      return true;
    }
  }

  @Override
  public boolean save(ManagedDestination destination) {
    try (SqlSession session = database.sessions().openSession(false)) {
      DestinationMapper mapper = session.getMapper(DestinationMapper.class);
      if (mapper.touch(destination.name(), clock.instant()) == 0) {
        return false;
      }
      mapper.deleteSettings(destination.name());
      writeSettings(session, destination);
      return true;
    }
  }

  private static void writeSettings(SqlSession session, ManagedDestination destination) {
    DestinationMapper mapper = session.getMapper(DestinationMapper.class);
    destination.settings().forEach((suffix, value) -> mapper.insertSetting(destination.name(), suffix, value));
    session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.DESTINATIONS);
    session.commit();
  }

  /**
   * The destination's row is written first, as {@link #save} does: its row lock (PostgreSQL) or the
   * write lock (SQLite) has a save or another delete wait for this one's commit and then find no row.
   * Deleted last instead, a save committed meanwhile left its new settings behind the delete, which
   * had read the settings before they were there. The copy queue's writes hold the row too
   * ({@link MyBatisCopyRepository}): one under way is waited for and its rows deleted here, one after
   * this finds no row and writes nothing.
   */
  @Override
  public boolean delete(String name) {
    return delete(name, true);
  }

  @Override
  public boolean deleteSettings(String name) {
    return delete(name, false);
  }

  private boolean delete(String name, boolean withCopies) {
    try (SqlSession session = database.sessions().openSession(false)) {
      DestinationMapper mapper = session.getMapper(DestinationMapper.class);
      if (mapper.touch(name, clock.instant()) == 0) {
        return false; // closed without a commit: nothing changed
      }
      if (withCopies) {
        mapper.deleteCopies(name);
        mapper.deleteCatchUp(name);
        mapper.deletePlace(name);
      }
      mapper.deleteSettings(name);
      mapper.delete(name);
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.DESTINATIONS);
      session.commit();
      return true;
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
