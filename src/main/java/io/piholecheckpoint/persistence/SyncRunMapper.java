package io.piholecheckpoint.persistence;

import java.util.List;
import org.apache.ibatis.annotations.Param;

interface SyncRunMapper {

  void insert(@Param("r") SyncRunRow run);

  long lastInsertId();

  List<SyncRunRow> findByGroup(@Param("group") String group, @Param("before") Long before, @Param("limit") int limit);

  int countSnapshots(@Param("group") String group, @Param("replicaId") long replicaId);

  List<SyncStandingRow> standings(@Param("group") String group);

  List<SyncRunRow> findByIds(@Param("ids") List<Long> ids);
}
