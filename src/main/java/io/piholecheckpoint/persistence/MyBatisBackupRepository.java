package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.catalog.DeletionClaim;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;

public class MyBatisBackupRepository implements BackupRepository {
  private static final int ALL = Integer.MAX_VALUE;

  private final Database database;

  public MyBatisBackupRepository(Database database) {
    this.database = database;
  }

  @Override
  public Backup insert(Backup backup) {
    return insert(backup, false);
  }

  @Override
  public Backup insertEnd(Backup record) {
    return insert(record, true);
  }

  /** @param replacingInterrupted whether it is a run's end, under its run's key: an interrupted record of the same run is replaced in place */
  private Backup insert(Backup record, boolean replacingInterrupted) {
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper mapper = session.getMapper(BackupMapper.class);
      long id;
      if (replacingInterrupted) {
        String key = RunKeys.of(record);
        mapper.insertEnd(record, key);
        id = mapper.idOfRun(key);
      } else {
        mapper.insert(record);
        id = mapper.lastInsertId();
      }
      session.commit();
      return record.withId(id);
    }
  }

  @Override
  public Optional<Backup> insertInterrupted(Backup record) {
    try (SqlSession session = database.sessions().openSession(false)) {
      if (session.getMapper(BackupRunMapper.class).insertInterruptedRecord(record, RunKeys.of(record)) == 0) {
        return Optional.empty(); // closed without a commit: nothing was written
      }
      long id = session.getMapper(BackupMapper.class).lastInsertId();
      session.commit();
      return Optional.of(record.withId(id));
    }
  }

  @Override
  public Optional<Backup> findById(long id) {
    return Optional.ofNullable(read(m -> m.findById(id))).map(BackupRow::toBackup);
  }

  @Override
  public boolean deletedWithCopyAt(String destination, String remoteKey) {
    return read(m -> m.countDeletedWithCopyAt(destination, remoteKey)) > 0;
  }

  @Override
  public Optional<Backup> findByFileName(String fileName) {
    return Optional.ofNullable(read(m -> m.findByFileName(fileName))).map(BackupRow::toBackup);
  }

  @Override
  public List<Backup> findByInstance(long instanceId, int limit) {
    return rows(m -> m.findByInstance(instanceId, null, limit));
  }

  @Override
  public List<Backup> findPage(long instanceId, Page page) {
    return rows(m -> m.findPage(instanceId, page.before(), page.status(), page.trigger(), page.limit()));
  }

  @Override
  public java.util.OptionalLong latestSuccessSize(long instanceId) {
    Long size = read(m -> m.findLatestSuccessSize(instanceId));
    return size == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(size);
  }

  @Override
  public List<Backup> findSuccessful(long instanceId) {
    return rows(m -> m.findByInstance(instanceId, Backup.Status.SUCCESS, ALL));
  }

  @Override
  public List<Backup> findBaselines(long instanceId) {
    return rows(m -> m.findBaselines(instanceId));
  }

  @Override
  public List<Backup> findUpToOldestExpirable(long instanceId, int maxBackups, Instant cutoff) {
    // no age limit: a cutoff no record is older than, so the statement stays one static, typed SQL
    return rows(m -> m.findUpToOldestExpirable(instanceId, maxBackups, cutoff == null ? Instant.EPOCH : cutoff));
  }

  @Override
  public List<Expired> findExpiredWithoutKeepers(long instanceId, int maxBackups, Instant cutoff) {
    return read(m -> m.findExpiredWithoutKeepers(instanceId, maxBackups, cutoff == null ? Instant.EPOCH : cutoff)).stream()
        .map(e -> new Expired(e.id(), e.fileName(), e.finishedAt(), e.beyondMax() == 1)).toList();
  }

  @Override
  public List<Backup> findExpiredFailures(long instanceId, Instant cutoff) {
    return rows(m -> m.findExpiredFailures(instanceId, cutoff));
  }

  @Override
  public List<Backup> findAllSuccessful() {
    return rows(BackupMapper::findAllSuccessful);
  }

  @Override
  public java.util.Set<String> unsuccessfulFileNames() {
    return java.util.Set.copyOf(read(BackupMapper::findUnsuccessfulFileNames));
  }

  @Override
  public Stats stats(long instanceId) {
    return read(m -> m.stats(instanceId)).stream().findFirst().orElse(new Stats(instanceId, 0, 0, null));
  }

  @Override
  public Map<Long, Stats> statsPerInstance() {
    return read(m -> m.stats(null)).stream().collect(Collectors.toMap(Stats::instanceId, s -> s));
  }

  @Override
  public Map<Long, List<Long>> recentSizesPerInstance(List<Long> instanceIds, int perInstance) {
    Map<Long, List<Long>> sizes = new LinkedHashMap<>();
    if (instanceIds.isEmpty()) {
      return sizes; // IN () is no SQL
    }
    for (BackupMapper.SizeSeries series : read(m -> m.recentSizes(instanceIds, perInstance))) {
      sizes.put(series.instanceId(), series.sizes() == null ? List.of()
          : Arrays.stream(series.sizes().split(",")).map(Long::valueOf).toList());
    }
    return sizes;
  }

  @Override
  public List<SizePoint> sizeHistory(long instanceId, int limit) {
    return read(m -> m.sizeHistory(instanceId, limit));
  }

  @Override
  public Map<Long, Totals> totalsPerInstance() {
    return read(BackupMapper::totals).stream().collect(Collectors.toMap(Totals::instanceId, t -> t));
  }

  @Override
  public Map<Long, List<Backup>> findRecentPerInstance(List<Long> instanceIds, int perInstance) {
    if (instanceIds.isEmpty()) {
      return Map.of(); // IN () is no SQL
    }
    return rows(m -> m.findRecentPerInstance(instanceIds, perInstance)).stream()
        .collect(Collectors.groupingBy(Backup::instanceId, LinkedHashMap::new, Collectors.toList()));
  }

  @Override
  public FileProblems countFileProblems() {
    return read(BackupMapper::countFileProblems);
  }

  @Override
  public Optional<Backup> findLatest() {
    return Optional.ofNullable(read(BackupMapper::findLatest)).map(BackupRow::toBackup);
  }

  @Override
  public Optional<Backup> findLastVerdict(long instanceId) {
    return Optional.ofNullable(read(m -> m.findLastVerdict(instanceId))).map(BackupRow::toBackup);
  }

  @Override
  public void markStillCurrent(long id, Instant at) {
    write(m -> m.markStillCurrent(id, at));
  }

  @Override
  public boolean setPinned(long id, boolean pinned) {
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper mapper = session.getMapper(BackupMapper.class);
      if (mapper.setPinned(id, pinned) == 0 || pinned && mapper.countCopiesBeingDeleted(id) > 0) {
        return false; // gone, being deleted here, or an off-site copy of it is (the session rolls back on close)
      }
      session.commit();
      return true;
    }
  }

  @Override
  public boolean accept(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(BackupMapper.class).accept(id) == 1;
    }
  }

  @Override
  public boolean unaccept(long id) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(BackupMapper.class).unaccept(id) == 1;
    }
  }

  @Override
  public Set<Long> claimForDeletion(List<Long> ids) {
    Set<Long> claimed = new LinkedHashSet<>();
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper mapper = session.getMapper(BackupMapper.class);
      for (long id : ids) {
        if (mapper.claimForDeletion(id, false) == 1) {
          if (mapper.findRestoreReading(id) == null) {
            claimed.add(id);
          } else {
            mapper.releaseDeletion(id); // a restore queued since retention read which backups restores read: it keeps its backup
          }
        }
      }
      session.commit();
    }
    return claimed;
  }

  @Override
  public DeletionClaim claimUnlessRestoring(List<Long> ids, boolean evenPinned) {
    Set<Long> claimed = new LinkedHashSet<>();
    try (SqlSession session = database.sessions().openSession(false)) {
      BackupMapper mapper = session.getMapper(BackupMapper.class);
      for (long id : ids) {
        if (mapper.claimForDeletion(id, evenPinned) == 1) {
          DeletionClaim.Reader reader = mapper.findRestoreReading(id);
          if (reader != null) {
            session.rollback(); // none claimed: the restore keeps its backup, and the others stay as they were
            return DeletionClaim.refused(reader);
          }
          claimed.add(id);
        }
      }
      session.commit();
    }
    return DeletionClaim.of(claimed);
  }

  @Override
  public void releaseDeletion(long id) {
    write(m -> m.releaseDeletion(id));
  }

  @Override
  public List<Backup> findClaimedForDeletion() {
    return rows(BackupMapper::findClaimedForDeletion);
  }

  @Override
  public void setFileMissing(long id, boolean missing) {
    write(m -> m.setFileMissing(id, missing));
  }

  @Override
  public void setVerifyError(long id, String error) {
    write(m -> m.setVerifyError(id, error));
  }

  @Override
  public void delete(long id) {
    // not fsynced: the record is claimed for deletion, durably, before its file goes; one that a power loss brings back claimed
    // is deleted at the next start (RetentionService.finishCutShort), and the next durable commit (a job's end) takes it along
    try (SqlSession session = database.openSessionSyncedLater()) {
      session.getMapper(BackupMapper.class).delete(id);
      session.commit();
    }
  }

  private <T> T read(Function<BackupMapper, T> query) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return query.apply(session.getMapper(BackupMapper.class));
    }
  }

  private List<Backup> rows(Function<BackupMapper, List<BackupRow>> query) {
    return read(query).stream().map(BackupRow::toBackup).toList();
  }

  private void write(Consumer<BackupMapper> change) {
    try (SqlSession session = database.sessions().openSession(false)) {
      change.accept(session.getMapper(BackupMapper.class));
      session.commit();
    }
  }
}
