package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.Backup;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface BackupMapper {

  void insert(Backup backup);

  long lastInsertId();

  Backup findById(long id);

  List<Backup> findByInstance(@Param("instanceId") long instanceId, @Param("limit") int limit);

  List<Backup> findSuccessful(long instanceId);

  Backup findLatest();

  Backup findLatestSuccess(long instanceId);

  int delete(long id);
}
