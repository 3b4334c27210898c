package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.ibatis.session.SqlSession;

/**
 * The record (in place of an interrupted record of the same run, see {@link RunEnd}), the status and the marker's removal
 * in one transaction: one commit, one WAL fsync.
 */
public class MyBatisRunEnd implements RunEnd {
  private final Database database;
  private final Clock clock;
  private final String node;

  public MyBatisRunEnd(Database database, Clock clock) {
    this(database, clock, null);
  }

  /** @param node NODE_NAME, recorded on each run's record */
  public MyBatisRunEnd(Database database, Clock clock, String node) {
    this.database = database;
    this.clock = clock;
    this.node = node;
  }

  @Override
  public Backup write(Backup run, PiholeInstance.Status status) {
    try (SqlSession session = database.sessions().openSession(false)) {
      Backup written = writeIn(session, run, status);
      session.commit();
      return written;
    }
  }

  /** The three writes in {@code session}'s transaction, not committed: tests hold it open to race another one with it. */
  Backup writeIn(SqlSession session, Backup run, PiholeInstance.Status status) {
    Backup record = run.ranBy(node);
    BackupMapper backups = session.getMapper(BackupMapper.class);
    // an interrupted record of the run, by another node, meets this insert's key (those written before keys got theirs in
    // 20261213130000) and is replaced in place
    String key = RunKeys.of(record);
    backups.insertEnd(record, key);
    long id = backups.idOfRun(key);
    if (status != null) {
      session.getMapper(InstanceMapper.class).updateStatus(record.instanceId(), status, clock.instant());
    }
    session.getMapper(BackupRunMapper.class).delete(record.instanceId());
    return asStored(record, id);
  }

  /** The record as a read of its row gives it back (instants in whole milliseconds): its caller need not read it. */
  private static Backup asStored(Backup b, long id) {
    return new Backup(id, b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(), millis(b.startedAt()),
        millis(b.finishedAt()), millis(b.stillCurrentAt()), b.pinned(), b.suspicious(), b.fileMissing(), b.verifyError(), b.deleting(), b.node());
  }

  private static Instant millis(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
  }
}
