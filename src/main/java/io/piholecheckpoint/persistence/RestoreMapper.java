package io.piholecheckpoint.persistence;

import java.util.List;
import org.apache.ibatis.annotations.Param;

interface RestoreMapper {

  /** 1 when the backup is claimed for deletion, 0 when not, null when there is no such backup. */
  Integer backupDeleting(@Param("backupId") long backupId);

  void insert(@Param("r") RestoreRow restore, @Param("node") String node);

  long lastInsertId();

  void update(@Param("r") RestoreRow restore);

  int markInterrupted(@Param("node") String node, @Param("who") String who, @Param("now") java.time.Instant now);

  List<Long> findUnfinished(@Param("node") String node);

  RestoreRow findById(long id);

  List<Long> findUnfinishedSources();

  List<RestoreRow> findByTarget(@Param("targetId") long targetId, @Param("limit") int limit);
}
