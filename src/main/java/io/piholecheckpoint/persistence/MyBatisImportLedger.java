package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.legacy.ImportLedger;
import io.piholecheckpoint.core.legacy.SkipReason;
import io.piholecheckpoint.core.schedule.Schedule;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;

public class MyBatisImportLedger implements ImportLedger {
  private final Database database;

  public MyBatisImportLedger(Database database) {
    this.database = database;
  }

  @Override
  public Optional<Summary> find() {
    return Optional.ofNullable(read(OriginalImportMapper::find));
  }

  /**
   * Plain JDBC on a connection of its own, as {@link DatabaseProbe} probes: the migration step asks
   * this at every start, and building MyBatis and its pool for one answer costs it a second.
   */
  @Override
  public boolean finished() {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT finished_at FROM original_import WHERE id = 1")) {
      return row.next() && row.getObject(1) != null;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read whether the history of Pi-hole Checkpoint 1.x was imported: " + e.getMessage(), e);
    }
  }

  @Override
  public void start(String source, Instant at) {
    write(m -> {
      m.start(source, at);
      return null;
    });
  }

  @Override
  public OptionalLong lastRecordId() {
    Long last = read(OriginalImportMapper::lastRecordId);
    return last == null ? OptionalLong.empty() : OptionalLong.of(last);
  }

  @Override
  public Map<SkipReason, Long> skippedByReason() {
    Map<SkipReason, Long> counts = new LinkedHashMap<>();
    for (OriginalImportMapper.SkipCount row : read(OriginalImportMapper::skippedByReason)) {
      counts.merge(SkipReason.of(row.skipReason()), row.records(), Long::sum);
    }
    return counts;
  }

  @Override
  public Optional<Long> instanceOf(long originalId) {
    return Optional.ofNullable(read(m -> m.instanceOf(originalId)));
  }

  @Override
  public void link(long originalId, long instanceId, String envPrefix, InstanceDefaults defaults) {
    Schedule s = defaults.schedule();
    write(m -> {
      m.insertInstance(originalId, instanceId, envPrefix, s.kind().name(), s.time().toString(), s.day().name(),
          defaults.retention().maxBackups(), defaults.retention().maxAgeDays());
      return null;
    });
  }

  @Override
  public boolean fileNameTaken(String fileName) {
    return read(m -> m.countFileName(fileName)) > 0;
  }

  /** One transaction: a crash leaves the batch wholly written or not at all, and a re-run starts after the last one written. */
  @Override
  public List<Backup> write(List<Entry> batch) {
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper backups = session.getMapper(BackupMapper.class);
      OriginalImportMapper ledger = session.getMapper(OriginalImportMapper.class);
      List<Backup> written = new ArrayList<>(batch.size());
      for (Entry entry : batch) {
        Backup stored = null;
        if (entry.backup() != null) {
          backups.insert(entry.backup());
          long id = backups.lastInsertId();
          if (entry.backup().fileMissing()) {
            backups.setFileMissing(id, true);
          }
          if (entry.backup().verifyError() != null) {
            backups.setVerifyError(id, entry.backup().verifyError());
          }
          stored = entry.backup().withId(id);
        }
        ledger.insertRecord(entry.originalId(), stored == null ? null : stored.id(), entry.skipped() == null ? null : entry.skipped().name());
        written.add(stored);
      }
      session.commit();
      return written;
    }
  }

  @Override
  public Summary finish(Instant at, String note) {
    write(m -> {
      m.finish(at, note);
      return null;
    });
    return find().orElseThrow();
  }

  @Override
  public Map<String, InstanceDefaults> defaultsByPrefix() {
    Map<String, InstanceDefaults> defaults = new HashMap<>();
    for (OriginalImportMapper.DefaultsRow row : read(OriginalImportMapper::defaults)) {
      defaults.put(row.envPrefix(), new InstanceDefaults(
          new Schedule(Schedule.Kind.valueOf(row.scheduleKind()), LocalTime.parse(row.scheduleTime()), DayOfWeek.valueOf(row.scheduleDay()), null),
          new RetentionPolicy(row.maxBackups(), row.maxAgeDays())));
    }
    return defaults;
  }

  private <T> T read(Function<OriginalImportMapper, T> query) {
    try (SqlSession session = database.sessions().openSession()) {
      return query.apply(session.getMapper(OriginalImportMapper.class));
    }
  }

  private <T> T write(Function<OriginalImportMapper, T> change) {
    try (SqlSession session = database.sessions().openSession(false)) {
      T result = change.apply(session.getMapper(OriginalImportMapper.class));
      session.commit();
      return result;
    }
  }
}
