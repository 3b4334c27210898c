package io.piholecheckpoint.persistence;

import java.util.List;
import org.apache.ibatis.annotations.Param;

interface RestoreMapper {

  void insert(@Param("r") RestoreRow restore);

  long lastInsertId();

  void update(@Param("r") RestoreRow restore);

  int markInterrupted(@Param("now") java.time.Instant now);

  RestoreRow findById(long id);

  List<RestoreRow> findByTarget(@Param("targetId") long targetId, @Param("limit") int limit);
}
