package io.piholecheckpoint.persistence;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.ibatis.session.SqlSession;

/**
 * Things added in the UI or the API by name, each with its settings by suffix (off-site destinations,
 * sync groups): a table of names and one of settings, each write one transaction that also moves the
 * kind's count of changes, so that every node reads them again.
 */
final class NamedSettings<M extends NamedSettingsMapper> {
  private final Database database;
  private final Clock clock;
  private final Class<M> mapper;
  private final String kind;

  /** @param kind the {@link SettingChangeMapper} kind that counts their changes */
  NamedSettings(Database database, Clock clock, Class<M> mapper, String kind) {
    this.database = database;
    this.clock = clock;
    this.mapper = mapper;
    this.kind = kind;
  }

  /** Each one's settings, by name, in name order. */
  Map<String, Map<String, String>> findAll() {
    try (SqlSession session = database.sessions().openSession(true)) {
      return byName(session.getMapper(mapper).findAll());
    }
  }

  Optional<Map<String, String>> find(String name) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return byName(session.getMapper(mapper).findByName(name)).values().stream().findFirst();
    }
  }

  long changes() {
    return SettingChangeMapper.changes(database, kind);
  }

  /** Adds it, or replaces all its settings. */
  void save(String name, Map<String, String> settings) {
    write(m -> {
      if (m.countByName(name) == 0) {
        m.insert(name, clock.instant());
      } else {
        m.touch(name, clock.instant());
        m.deleteSettings(name);
      }
      settings.forEach((suffix, value) -> m.insertSetting(name, suffix, value));
    });
  }

  /** @param first what goes with it, deleted first in the same transaction (rows that name it) */
  void delete(String name, Consumer<M> first) {
    write(m -> {
      first.accept(m);
      m.deleteSettings(name);
      m.delete(name);
    });
  }

  private void write(Consumer<M> change) {
    try (SqlSession session = database.sessions().openSession(false)) {
      change.accept(session.getMapper(mapper));
      session.getMapper(SettingChangeMapper.class).count(kind);
      session.commit();
    }
  }

  private static Map<String, Map<String, String>> byName(Iterable<NamedSettingRow> rows) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.computeIfAbsent(r.name(), n -> new HashMap<>()).put(r.suffix(), r.value()));
    return byName;
  }
}
