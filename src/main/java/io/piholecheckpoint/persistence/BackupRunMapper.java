package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.backup.catalog.Backup;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface BackupRunMapper {
  void insert(@Param("m") RunMarkers.Marker marker);

  void delete(@Param("instanceId") long instanceId);

  int deleteStarted(@Param("instanceId") long instanceId, @Param("startedAt") java.time.Instant startedAt);

  /** Inserts the interrupted record of a run unless a record of the same run (instance, start, node) is there: 1 or 0. */
  int insertInterruptedRecord(@Param("b") Backup record, @Param("key") String key);

  List<RunMarkers.Marker> findAll();

  RunMarkers.Marker findByInstance(@Param("instanceId") long instanceId);
}
