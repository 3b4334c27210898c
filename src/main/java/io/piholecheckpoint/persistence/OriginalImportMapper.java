package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.legacy.ImportLedger;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface OriginalImportMapper {

  ImportLedger.Summary find();

  void start(@Param("source") String source, @Param("at") Instant at);

  void finish(@Param("at") Instant at, @Param("note") String note);

  Long lastRecordId();

  void insertRecord(@Param("originalId") long originalId, @Param("backupId") Long backupId, @Param("skipReason") String skipReason);

  record SkipCount(String skipReason, long records) {
  }

  List<SkipCount> skippedByReason();

  Long instanceOf(long originalId);

  void insertInstance(@Param("originalId") long originalId, @Param("instanceId") long instanceId, @Param("envPrefix") String envPrefix,
                      @Param("kind") String kind, @Param("time") String time, @Param("day") String day, @Param("maxBackups") int maxBackups,
                      @Param("maxAgeDays") int maxAgeDays);

  int countFileName(String fileName);

  /** The original's schedule and retention of instances with a prefix. */
  record DefaultsRow(String envPrefix, String scheduleKind, String scheduleTime, String scheduleDay, int maxBackups, int maxAgeDays) {
  }

  List<DefaultsRow> defaults();
}
