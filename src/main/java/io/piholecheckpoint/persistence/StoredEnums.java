package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import java.util.List;
import org.apache.ibatis.session.Configuration;

/**
 * Every enum a mapper reads from a column, with what an unknown value of it is read as: the value
 * that claims least (never contacted, failed, given up), so that a row no rule of this version
 * knows is never taken for a success. StoredEnumsTest checks that each enum the mappers name is here.
 */
final class StoredEnums {
  static final List<TolerantEnumTypeHandler<?>> ALL = List.of(
      new TolerantEnumTypeHandler<>(ConnectionStatus.class, ConnectionStatus.UNKNOWN),
      new TolerantEnumTypeHandler<>(Origin.class, Origin.UI),
      new TolerantEnumTypeHandler<>(Backup.Status.class, Backup.Status.FAILED),
      new TolerantEnumTypeHandler<>(Backup.Trigger.class, Backup.Trigger.MANUAL),
      new TolerantEnumTypeHandler<>(Job.Kind.class, Job.Kind.BACKUP),
      new TolerantEnumTypeHandler<>(Job.State.class, Job.State.FAILED),
      new TolerantEnumTypeHandler<>(Copy.State.class, Copy.State.FAILED),
      new TolerantEnumTypeHandler<>(Restore.State.class, Restore.State.FAILED),
      new TolerantEnumTypeHandler<>(RestoreMode.class, RestoreMode.LISTS),
      new TolerantEnumTypeHandler<>(SyncRun.Outcome.class, SyncRun.Outcome.FAILED));

  private StoredEnums() {
  }

  static void registerIn(Configuration configuration) {
    ALL.forEach(handler -> register(configuration, handler));
  }

  private static <E extends Enum<E>> void register(Configuration configuration, TolerantEnumTypeHandler<E> handler) {
    configuration.getTypeHandlerRegistry().register(handler.fallback().getDeclaringClass(), handler);
  }
}
