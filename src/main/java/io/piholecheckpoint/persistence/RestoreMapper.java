package io.piholecheckpoint.persistence;

import java.util.List;
import org.apache.ibatis.annotations.Param;

interface RestoreMapper {

  void insert(@Param("r") RestoreRow restore, @Param("node") String node);

  long lastInsertId();

  void update(@Param("r") RestoreRow restore);

  int markInterrupted(@Param("node") String node, @Param("who") String who, @Param("now") java.time.Instant now);

  RestoreRow findById(long id);

  List<Long> findUnfinishedSources();

  List<RestoreRow> findByTarget(@Param("targetId") long targetId, @Param("limit") int limit);
}
