package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.ibatis.session.SqlSession;

/**
 * The off-site queue in the database: each write its own committed transaction. A write that adds rows under a
 * destination added in Settings (a copy, a catch-up mark, its place) holds the destination's row in the same
 * transaction: a node that still had a destination in use when it was deleted (on it or on another node) writes
 * nothing for it, and a delete under way waits for such a write and deletes its rows too. The environment's
 * destinations have no row to hold and are never deleted.
 */
public final class MyBatisCopyRepository implements CopyRepository {
  private final Database database;
  private final Predicate<String> fromEnvironment;

  /** A queue whose destinations are all the environment's (none added in Settings): nothing to hold. */
  public MyBatisCopyRepository(Database database) {
    this(database, name -> true);
  }

  /** @param fromEnvironment whether a destination name is the environment's (it has no stored row to hold) */
  public MyBatisCopyRepository(Database database, Predicate<String> fromEnvironment) {
    this.database = database;
    this.fromEnvironment = fromEnvironment;
  }

  /** The copies of destinations that are still there are queued; those of one deleted meanwhile are not. */
  @Override
  public void enqueue(Collection<Copy> copies) {
    try (SqlSession session = database.sessions().openSession(false)) {
      Set<String> held = hold(session, copies.stream().map(Copy::destination).toList());
      OffsiteCopyMapper mapper = session.getMapper(OffsiteCopyMapper.class);
      copies.stream().filter(c -> held.contains(c.destination())).forEach(mapper::insertIfAbsent);
      session.commit();
    }
  }

  @Override
  public long newestBackupId() {
    return read(OffsiteCopyMapper::newestBackupId);
  }

  @Override
  public long newestGoodBackupId(long instanceId) {
    return read(m -> m.newestGoodBackupId(instanceId));
  }

  @Override
  public Optional<Long> caughtUpThrough(String destination, long instanceId) {
    return Optional.ofNullable(read(m -> m.caughtUpThrough(destination, instanceId)));
  }

  @Override
  public int catchUp(String destination, long instanceId, Collection<Copy> copies, long throughBackupId, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      if (hold(session, List.of(destination)).isEmpty()) {
        return 0; // deleted meanwhile: nothing to catch up (closed without a commit)
      }
      OffsiteCopyMapper mapper = session.getMapper(OffsiteCopyMapper.class);
      int queued = 0;
      for (Copy copy : copies) {
        queued += mapper.insertIfAbsent(copy);
      }
      mapper.markCaughtUp(destination, instanceId, throughBackupId, at);
      session.commit();
      return queued;
    }
  }

  @Override
  public List<Copy> findDue(Collection<String> destinations, Instant now, int limit) {
    return destinations.isEmpty() ? List.of() : read(m -> m.findDue(destinations, now, limit));
  }

  @Override
  public Optional<Copy> findById(long id) {
    return Optional.ofNullable(read(m -> m.findById(id)));
  }

  @Override
  public List<Copy> findByBackup(long backupId) {
    return read(m -> m.findByBackup(backupId));
  }

  @Override
  public Map<Long, List<Copy>> findByBackups(Collection<Long> backupIds) {
    Map<Long, List<Copy>> byBackup = new LinkedHashMap<>();
    if (!backupIds.isEmpty()) {
      read(m -> m.findByBackups(backupIds)).forEach(c -> byBackup.computeIfAbsent(c.backupId(), id -> new java.util.ArrayList<>()).add(c));
    }
    return byBackup;
  }

  @Override
  public List<Copy> findVerified(String destination, long instanceId) {
    return read(m -> m.findVerified(destination, instanceId));
  }

  @Override
  public List<Copy> findClaimed(String destination, long instanceId) {
    return read(m -> m.findClaimed(destination, instanceId));
  }

  @Override
  public boolean claimForDeletion(long id, long backupId) {
    try (SqlSession session = database.sessions().openSession(false)) {
      OffsiteCopyMapper mapper = session.getMapper(OffsiteCopyMapper.class);
      if (mapper.holdUnpinnedBackup(backupId) == 0 && mapper.countBackup(backupId) > 0) {
        return false; // pinned since the pruning read it (the session rolls back on close)
      }
      boolean claimed = mapper.claimForDeletion(id) == 1;
      session.commit();
      return claimed;
    }
  }

  @Override
  public void releaseDeletion(long id) {
    write(m -> m.releaseDeletion(id));
  }

  @Override
  public int markBackupDeleted(long backupId) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int marked = session.getMapper(OffsiteCopyMapper.class).markBackupDeleted(backupId);
      session.commit();
      return marked;
    }
  }

  @Override
  public boolean markGone(long id) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int marked = session.getMapper(OffsiteCopyMapper.class).markGone(id);
      session.commit();
      return marked > 0;
    }
  }

  @Override
  public int releaseClaimsExcept(Collection<String> destinations) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int released = session.getMapper(OffsiteCopyMapper.class).releaseClaimsExcept(destinations);
      session.commit();
      return released;
    }
  }

  @Override
  public void adopt(Copy copy, boolean manifestPinned) {
    try (SqlSession session = database.sessions().openSession(false)) {
      if (!hold(session, List.of(copy.destination())).isEmpty()) {
        session.getMapper(OffsiteCopyMapper.class).insertAdopted(copy, manifestPinned ? 1 : 0);
        session.commit();
      }
    }
  }

  @Override
  public List<Copy> findManifestsBehindPin(String destination, int limit) {
    return read(m -> m.findManifestsBehindPin(destination, limit));
  }

  @Override
  public void markManifestPinned(long id, boolean pinned, boolean accepted) {
    write(m -> m.markManifestPinned(id, pinned ? 1 : 0, accepted ? 1 : 0));
  }

  @Override
  public List<Copy> findByFileName(String fileName) {
    return read(m -> m.findByFileName(fileName));
  }

  @Override
  public void markCopied(long id, long sentBytes, String sentSha256, Instant at) {
    write(m -> m.markCopied(id, sentBytes, sentSha256, at));
  }

  @Override
  public void markVerified(long id, Instant at) {
    write(m -> m.markVerified(id, at));
  }

  @Override
  public List<Copy> findToRecheck(String destination, Instant overdue, int atLeast) {
    return read(m -> m.findToRecheck(destination, overdue, atLeast));
  }

  @Override
  public List<Copy> findDamaged(String destination) {
    return read(m -> m.findDamaged(destination));
  }

  @Override
  public void markChecked(long id, Instant at) {
    write(m -> m.markChecked(id, at));
  }

  @Override
  public void markFailed(long id, String error, Instant at, Instant nextAttemptAt) {
    write(m -> m.markFailed(id, error, at, nextAttemptAt));
  }

  @Override
  public void markUnsendable(long id, String error, Instant nextAttemptAt) {
    write(m -> m.markUnsendable(id, error, nextAttemptAt));
  }

  @Override
  public void markDamaged(long id, String error, Instant at, Instant nextAttemptAt) {
    write(m -> m.markDamaged(id, error, at, nextAttemptAt));
  }

  @Override
  public void delete(long id) {
    write(m -> m.delete(id));
  }

  @Override
  public int sendAgain(long backupId, Instant now) {
    try (SqlSession session = database.sessions().openSession(false)) {
      int queued = session.getMapper(OffsiteCopyMapper.class).sendAgain(backupId, now);
      session.commit();
      return queued;
    }
  }

  @Override
  public int dropUnmadeOfBackupsGone() {
    try (SqlSession session = database.sessions().openSession(false)) {
      int dropped = session.getMapper(OffsiteCopyMapper.class).dropUnmadeOfBackupsGone();
      session.commit();
      return dropped;
    }
  }

  @Override
  public Set<Long> givenUpBackups() {
    return Set.copyOf(read(OffsiteCopyMapper::givenUpBackups));
  }

  @Override
  public void holdForPassphrase(long id, String why, Instant until) {
    write(m -> m.holdForPassphrase(id, why, until));
  }

  @Override
  public void heldDueNow(String destination, Instant now) {
    write(m -> m.heldDueNow(destination, now));
  }

  @Override
  public void dueNow(String destination, Instant now) {
    write(m -> m.dueNow(destination, now));
  }

  @Override
  public void firstDueNow(String destination, Instant failedBefore, Instant now) {
    write(m -> m.firstDueNow(destination, failedBefore, now));
  }

  @Override
  public Map<String, QueueStats> stats() {
    Map<String, QueueStats> stats = new LinkedHashMap<>();
    for (OffsiteStatsRow row : read(OffsiteCopyMapper::stats)) {
      stats.put(row.destination(), new QueueStats(row.pending(), row.oldestPendingSince(), row.awaitingReadBack(), row.givenUp(), row.lastVerifiedAt(), row.failingSince(), row.lastError()));
    }
    return stats;
  }

  @Override
  public Optional<String> moveTo(String destination, String place, Instant at) {
    try (SqlSession session = database.sessions().openSession(false)) {
      if (hold(session, List.of(destination)).isEmpty()) {
        return Optional.empty(); // deleted meanwhile: it writes nowhere now
      }
      OffsitePlaceMapper places = session.getMapper(OffsitePlaceMapper.class);
      String before = places.findPlace(destination);
      if (place.equals(before)) {
        return Optional.empty();
      }
      if (before != null) {
        DestinationMapper destinations = session.getMapper(DestinationMapper.class);
        destinations.deleteCopies(destination);
        destinations.deleteCatchUp(destination);
      }
      places.savePlace(destination, place, at);
      session.commit();
      return Optional.ofNullable(before);
    }
  }

  /**
   * The destinations among these that may gain rows in this transaction: the environment's, and those added in Settings
   * whose row is still stored, held until the commit. Held in name order, so that two writes never wait on each other.
   */
  private Set<String> hold(SqlSession session, Collection<String> destinations) {
    DestinationMapper mapper = session.getMapper(DestinationMapper.class);
    Set<String> held = new TreeSet<>();
    for (String name : new TreeSet<>(destinations)) {
      if (fromEnvironment.test(name) || mapper.hold(name) != null) {
        held.add(name);
      }
    }
    return held;
  }

  private <T> T read(Function<OffsiteCopyMapper, T> query) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return query.apply(session.getMapper(OffsiteCopyMapper.class));
    }
  }

  private void write(Consumer<OffsiteCopyMapper> change) {
    try (SqlSession session = database.sessions().openSession(false)) {
      change.accept(session.getMapper(OffsiteCopyMapper.class));
      session.commit();
    }
  }
}
