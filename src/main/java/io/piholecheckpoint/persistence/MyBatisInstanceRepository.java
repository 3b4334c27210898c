package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Slugs;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
  public Optional<String> findName(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(InstanceMapper.class).findName(id));
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
      // the counter first, as an add does: its lock orders the folder's choice against another node's, and a busy
      // database refuses this as the write it is, not at the folders' read
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.INSTANCES);
      InstanceMapper mapper = session.getMapper(InstanceMapper.class);
      // under the lock: an instance stored already keeps its folder (the upsert leaves it), so only a new prefix reads them all
      InstanceRow stored = mapper.findByEnvPrefix(definition.envPrefix());
      String folder = stored != null ? stored.slug() : folderFor(mapper, definition.name(), null);
      mapper.upsertDefinition(definition, folder, definition.schedule().time().toString(), clock.instant());
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

  @Override
  public long insert(InstanceDefinition settings, SealedSecrets secrets) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.INSTANCES); // first: see saveDefinition
      InstanceMapper mapper = session.getMapper(InstanceMapper.class);
      mapper.insertUi(settings, folderFor(mapper, settings.name(), null), settings.schedule().time().toString(), !settings.active(),
          secrets.password(), secrets.totpSecret(), clock.instant());
      long id = mapper.lastInsertId();
      session.commit();
      return id;
    }
  }

  /**
   * The count of instance changes is moved first: its row lock (PostgreSQL) or the write lock
   * (SQLite) makes a second node's add wait for this one's commit, and then see its name.
   */
  @Override
  public OptionalLong insertUnlessNameTaken(InstanceDefinition settings, SealedSecrets secrets, String folder) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.INSTANCES);
      InstanceMapper mapper = session.getMapper(InstanceMapper.class);
      if (taken(mapper, settings.name(), 0)) {
        return OptionalLong.empty(); // closed without a commit: rolled back
      }
      // after the counter's lock: two nodes adding at once choose one after the other, and the unique index stops any other way
      mapper.insertUi(settings, folderFor(mapper, settings.name(), folder), settings.schedule().time().toString(), !settings.active(),
          secrets.password(), secrets.totpSecret(), clock.instant());
      long id = mapper.lastInsertId();
      session.commit();
      return OptionalLong.of(id);
    }
  }

  @Override
  public boolean updateUnlessNameTaken(long id, InstanceDefinition settings, SecretChange secrets) {
    try (SqlSession session = database.sessions().openSession(false)) {
      // first, as an add does: the counter's row lock makes the name's check and the change one at a time across the nodes
      session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.INSTANCES);
      InstanceMapper mapper = session.getMapper(InstanceMapper.class);
      if (taken(mapper, settings.name(), id)) {
        return false; // closed without a commit: rolled back
      }
      mapper.updateUi(id, settings, settings.schedule().time().toString(), !settings.active(), clock.instant()); // its folder stays
      mapper.updateSecrets(id, secrets.password(), secrets.totpSecret(), secrets.clearPassword(), secrets.clearTotpSecret());
      session.commit();
      return true;
    }
  }

  /** Whether another present instance than {@code except} (0: none) has the name, in any case (see InstanceNames.same). */
  private static boolean taken(InstanceMapper mapper, String name, long except) {
    return mapper.findOtherPresentNames(except).stream().anyMatch(other -> InstanceNames.same(other, name));
  }

  /** {@code wanted} when no instance holds it, else a folder of the name's own that none holds. */
  private static String folderFor(InstanceMapper mapper, String name, String wanted) {
    Set<String> taken = new HashSet<>(mapper.findFolders());
    return wanted != null && !taken.contains(wanted) ? wanted : Slugs.folderFor(name, taken);
  }

  @Override
  public Optional<SealedSecrets> findSecrets(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(InstanceMapper.class).findSecrets(id));
    }
  }

  @Override
  public void setPaused(long id, boolean paused) {
    write(m -> m.setFlags(id, paused, null, clock.instant()));
  }

  @Override
  public boolean markRemoved(long id) {
    return write(m -> m.setFlags(id, null, true, clock.instant())) > 0;
  }

  @Override
  public boolean delete(long id) {
    return write(m -> m.delete(id)) > 0;
  }

  @Override
  public long changes() {
    return SettingChangeMapper.changes(database, SettingChangeMapper.INSTANCES);
  }

  /** One change, counted in its transaction: a change of no row is rolled back, and counts for nothing. */
  private int write(java.util.function.ToIntFunction<InstanceMapper> change) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int rows = change.applyAsInt(session.getMapper(InstanceMapper.class));
      if (rows > 0) {
        session.getMapper(SettingChangeMapper.class).count(SettingChangeMapper.INSTANCES);
        session.commit();
      }
      return rows;
    }
  }
}
