package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface SyncRunMapper {

  /** Writes nothing when a row of the same {@link RunKeys#of(SyncRunRow) key} is there. */
  void insert(@Param("r") SyncRunRow run, @Param("key") String key);

  long idOfRun(@Param("key") String key);

  long lastInsertId();

  List<SyncRunRow> findByGroup(@Param("group") String group, @Param("before") Long before, @Param("limit") int limit);

  int countSnapshots(@Param("group") String group, @Param("replicaId") long replicaId);

  List<SyncStandingRow> standings(@Param("group") String group);

  List<SyncRunRow> findByIds(@Param("ids") List<Long> ids);

  void insertTurn(@Param("group") String group, @Param("node") String node, @Param("at") Instant at);

  int deleteTurn(@Param("group") String group, @Param("node") String node, @Param("at") Instant at);

  int updateTurnSnapshot(@Param("group") String group, @Param("node") String node, @Param("replica") long replicaId,
                         @Param("snapshot") Long snapshotId);

  SyncRunRepository.Running findTurn(@Param("group") String group);

  List<SyncRunRepository.Running> findTurns(@Param("node") String node);
}
