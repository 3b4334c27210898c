package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.retention.RetentionRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

public final class InMemoryBackupRepository implements BackupRepository {
  private static final Comparator<Backup> NEWEST_FIRST = Comparator.comparing(Backup::finishedAt).thenComparing(Backup::id).reversed();
  /** As the mapper's currentAt: a backup a SKIP_UNCHANGED run found still current ranks at that run's time. */
  private static final Comparator<Backup> LAST_SEEN_FIRST = Comparator.comparing(Backup::currentAsOf).thenComparing(Backup::id).reversed();
  private final List<Backup> backups = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  @Override
  public synchronized Backup insert(Backup b) {
    Backup stored = b.withId(ids.incrementAndGet());
    backups.add(stored);
    return stored;
  }

  /** As the database does: the interrupted record of the same run (instance, start to the millisecond, node) goes. */
  @Override
  public synchronized Backup insertEnd(Backup record) {
    backups.removeIf(b -> b.instanceId() == record.instanceId() && !b.successful() && "interrupted".equals(b.errorCode())
        && b.startedAt().toEpochMilli() == record.startedAt().toEpochMilli() && java.util.Objects.equals(b.node(), record.node()));
    return insert(record);
  }

  @Override
  public synchronized Optional<Backup> insertInterrupted(Backup record) {
    boolean ended = backups.stream().anyMatch(b -> b.instanceId() == record.instanceId()
        && b.startedAt().toEpochMilli() == record.startedAt().toEpochMilli() && java.util.Objects.equals(b.node(), record.node()));
    return ended ? Optional.empty() : Optional.of(insert(record));
  }

  @Override
  public synchronized Optional<Backup> findById(long id) {
    return backups.stream().filter(b -> b.id() == id).findFirst();
  }

  @Override
  public synchronized Optional<Backup> findByFileName(String fileName) {
    return backups.stream().filter(b -> fileName.equals(b.fileName())).findFirst();
  }

  /** No off-site copies are kept in memory: none names a deleted backup. */
  @Override
  public boolean deletedWithCopyAt(String destination, String remoteKey) {
    return false;
  }

  @Override
  public synchronized List<Backup> findByInstance(long instanceId, int limit) {
    return backups.stream().filter(b -> b.instanceId() == instanceId).sorted(NEWEST_FIRST).limit(limit).toList();
  }

  @Override
  public synchronized List<Backup> findPage(long instanceId, Page page) {
    Optional<Backup> cursor = page.before() == null ? Optional.empty() : findById(page.before());
    return backups.stream().filter(b -> b.instanceId() == instanceId)
        .filter(b -> page.before() == null || cursor.map(c -> NEWEST_FIRST.compare(b, c) > 0).orElse(b.id() < page.before()))
        .filter(b -> page.status() == null || b.status() == page.status())
        .filter(b -> page.trigger() == null || b.trigger() == page.trigger())
        .sorted(NEWEST_FIRST).limit(page.limit()).toList();
  }

  @Override
  public synchronized List<Backup> findSuccessful(long instanceId) {
    return backups.stream().filter(b -> b.instanceId() == instanceId && b.successful()).sorted(NEWEST_FIRST).toList();
  }

  @Override
  public synchronized List<Backup> findBaselines(long instanceId) {
    List<Backup> newestFirst = findSuccessful(instanceId);
    List<Backup> taken = newestFirst.stream().filter(Backup::takenFromThePihole).toList();
    Set<Backup> firsts = new HashSet<>();
    for (List<Backup> among : List.of(newestFirst, taken)) {
      among.stream().findFirst().ifPresent(firsts::add);
      among.stream().filter(b -> !b.suspicious()).findFirst().ifPresent(firsts::add);
    }
    return newestFirst.stream().filter(firsts::contains).toList();
  }

  /** Every successful backup: a prefix longer than the database's, which the contract allows. */
  @Override
  public synchronized List<Backup> findUpToOldestExpirable(long instanceId, int maxBackups, Instant cutoff) {
    return findSuccessful(instanceId);
  }

  /** The rules themselves, on every successful backup, with MAX_AGE_DAYS=1 a day after the cutoff. */
  @Override
  public synchronized List<Expired> findExpiredWithoutKeepers(long instanceId, int maxBackups, Instant cutoff) {
    RetentionPolicy policy = new RetentionPolicy(maxBackups, cutoff == null ? 0 : 1);
    Instant now = cutoff == null ? Instant.now() : cutoff.plus(java.time.Duration.ofDays(1));
    return RetentionRules.expired(findSuccessful(instanceId), policy, now, java.time.ZoneOffset.UTC).stream()
        .map(d -> new Expired(d.backup().id(), d.backup().fileName(), d.backup().finishedAt(), d.rule().equals("max_backups"))).toList();
  }

  @Override
  public synchronized List<Backup> findExpiredFailures(long instanceId, Instant cutoff) {
    return backups.stream().filter(b -> b.instanceId() == instanceId && !b.successful()).sorted(NEWEST_FIRST).skip(1)
        .filter(b -> b.finishedAt().isBefore(cutoff)).toList();
  }

  @Override
  public synchronized List<Backup> findAllSuccessful() {
    return backups.stream().filter(Backup::successful).toList();
  }

  @Override
  public synchronized java.util.Set<String> unsuccessfulFileNames() {
    return backups.stream().filter(b -> !b.successful() && b.fileName() != null).map(Backup::fileName).collect(java.util.stream.Collectors.toSet());
  }

  @Override
  public synchronized Stats stats(long instanceId) {
    List<Backup> ok = findSuccessful(instanceId);
    return new Stats(instanceId, ok.size(), ok.stream().mapToLong(b -> b.archive().sizeBytes()).sum(),
        ok.stream().filter(InMemoryBackupRepository::fromThePihole).map(Backup::currentAsOf).max(java.util.Comparator.naturalOrder()).orElse(null));
  }

  @Override
  public synchronized java.util.Map<Long, Stats> statsPerInstance() {
    return backups.stream().map(Backup::instanceId).distinct().collect(java.util.stream.Collectors.toMap(id -> id, this::stats));
  }

  @Override
  public synchronized List<SizePoint> sizeHistory(long instanceId, int limit) {
    return findPage(instanceId, new Page(null, null, null, limit)).stream()
        .map(b -> new SizePoint(b.finishedAt(), b.successful() ? b.archive().sizeBytes() : null)).toList();
  }

  @Override
  public synchronized java.util.Map<Long, List<Long>> recentSizesPerInstance(List<Long> instanceIds, int perInstance) {
    return backups.stream().map(Backup::instanceId).distinct().filter(instanceIds::contains).collect(java.util.stream.Collectors.toMap(id -> id,
        id -> findSuccessful(id).stream().limit(perInstance).map(b -> b.archive().sizeBytes()).toList()));
  }

  @Override
  public synchronized java.util.Map<Long, Totals> totalsPerInstance() {
    return backups.stream().map(Backup::instanceId).distinct().collect(java.util.stream.Collectors.toMap(id -> id, id -> {
      List<Backup> mine = backups.stream().filter(b -> b.instanceId() == id)
          .sorted(NEWEST_FIRST).toList();
      List<Backup> ok = mine.stream().filter(Backup::successful).toList();
      List<Backup> taken = mine.stream().filter(InMemoryBackupRepository::fromThePihole).toList();
      Optional<Backup> lastTaken = taken.stream().filter(Backup::successful).findFirst();
      return new Totals(id, ok.size(), mine.size() - ok.size(), ok.stream().mapToLong(b -> b.archive().sizeBytes()).sum(),
          stats(id).lastSuccessAt(), taken.stream().sorted(LAST_SEEN_FIRST).findFirst().map(Backup::status).orElse(null),
          lastTaken.map(b -> b.archive().sizeBytes()).orElse(0L));
    }));
  }

  @Override
  public synchronized java.util.Map<Long, List<Backup>> findRecentPerInstance(List<Long> instanceIds, int perInstance) {
    return backups.stream().map(Backup::instanceId).distinct().filter(instanceIds::contains)
        .collect(java.util.stream.Collectors.toMap(id -> id, id -> findPage(id, new Page(null, null, null, perInstance))));
  }

  @Override
  public synchronized FileProblems countFileProblems() {
    List<Backup> ok = findAllSuccessful();
    List<Backup> missing = ok.stream().filter(Backup::fileMissing).toList();
    List<Backup> damaged = ok.stream().filter(b -> b.verifyError() != null && !b.fileMissing()).toList();
    return new FileProblems(missing.size(), damaged.size(), missing.stream().map(Backup::id).min(Long::compare).orElse(null),
        damaged.stream().map(Backup::id).min(Long::compare).orElse(null));
  }

  @Override
  public synchronized Optional<Backup> findLatest() {
    return backups.stream().filter(InMemoryBackupRepository::fromThePihole).sorted(LAST_SEEN_FIRST).findFirst();
  }

  @Override
  public synchronized Optional<Backup> findLastVerdict(long instanceId) {
    return backups.stream().filter(b -> b.instanceId() == instanceId)
        .filter(b -> java.util.Set.of(Backup.Trigger.MANUAL, Backup.Trigger.SCHEDULED, Backup.Trigger.SAFETY).contains(b.trigger()))
        .filter(b -> b.successful() || !java.util.Set.of("interrupted", "cancelled").contains(b.errorCode())).sorted(LAST_SEEN_FIRST).findFirst();
  }

  /** As the mapper: an uploaded archive is kept and listed, but is no backup taken from the Pi-hole. */
  private static boolean fromThePihole(Backup b) {
    return b.trigger() != Backup.Trigger.IMPORTED;
  }

  @Override
  public synchronized void markStillCurrent(long id, Instant at) {
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), at, b.pinned(), b.suspicious(), b.fileMissing(), b.verifyError(), b.deleting()));
  }

  @Override
  public synchronized boolean setPinned(long id, boolean pinned) {
    if (findById(id).filter(b -> !b.deleting()).isEmpty()) {
      return false;
    }
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), pinned, b.suspicious(), b.fileMissing(), b.verifyError(), b.deleting()));
    return true;
  }

  @Override
  public synchronized boolean accept(long id) {
    if (findById(id).filter(b -> b.successful() && b.suspicious() && !b.deleting()).isEmpty()) {
      return false;
    }
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), b.pinned(), false, b.fileMissing(), b.verifyError(), b.deleting(), b.node(), true));
    return true;
  }

  @Override
  public synchronized boolean unaccept(long id) {
    if (findById(id).filter(b -> b.accepted() && !b.deleting()).isEmpty()) {
      return false;
    }
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), b.pinned(), true, b.fileMissing(), b.verifyError(), b.deleting(), b.node(), false));
    return true;
  }

  @Override
  public synchronized java.util.Set<Long> claimForDeletion(List<Long> ids) {
    java.util.Set<Long> claimed = new java.util.LinkedHashSet<>();
    for (long id : ids) {
      if (findById(id).filter(b -> !b.pinned() && !b.deleting()).isPresent()) {
        setDeleting(id, true);
        claimed.add(id);
      }
    }
    return claimed;
  }

  /** Knows no restores: claims as the database would with none queued or running. */
  @Override
  public synchronized io.piholecheckpoint.core.backup.catalog.DeletionClaim claimUnlessRestoring(List<Long> ids, boolean evenPinned) {
    java.util.Set<Long> claimed = new java.util.LinkedHashSet<>();
    for (long id : ids) {
      if (findById(id).filter(b -> (evenPinned || !b.pinned()) && !b.deleting()).isPresent()) {
        setDeleting(id, true);
        claimed.add(id);
      }
    }
    return io.piholecheckpoint.core.backup.catalog.DeletionClaim.of(claimed);
  }

  @Override
  public synchronized void releaseDeletion(long id) {
    setDeleting(id, false);
  }

  @Override
  public synchronized List<Backup> findClaimedForDeletion() {
    return backups.stream().filter(Backup::deleting).sorted(java.util.Comparator.comparing(Backup::id)).toList();
  }

  private void setDeleting(long id, boolean deleting) {
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), b.pinned(), b.suspicious(), b.fileMissing(), b.verifyError(), deleting));
  }

  @Override
  public synchronized void setFileMissing(long id, boolean missing) {
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), b.pinned(), b.suspicious(), missing, b.verifyError(), b.deleting()));
  }

  @Override
  public synchronized void setVerifyError(long id, String error) {
    update(id, b -> new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(),
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), b.pinned(), b.suspicious(), b.fileMissing(), error, b.deleting()));
  }

  @Override
  public synchronized void delete(long id) {
    backups.removeIf(b -> b.id() == id);
  }

  /** Adds a backup as it is, with its own id (for retention scenarios). */
  public synchronized void add(Backup backup) {
    backups.add(backup);
  }

  public synchronized List<Backup> all() {
    return List.copyOf(backups);
  }

  private void update(long id, UnaryOperator<Backup> change) {
    backups.replaceAll(b -> b.id() == id ? change.apply(b) : b);
  }
}
