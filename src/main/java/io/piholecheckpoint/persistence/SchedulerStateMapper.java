package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Reads Quartz's clustered job store (PostgreSQL only): its nodes, as they check in; and what every node must share. */
interface SchedulerStateMapper {
  List<NodeRow> findNodes(@Param("scheduler") String scheduler);

  Long findCheckIn(@Param("scheduler") String scheduler, @Param("name") String name);

  void upsertDown(@Param("name") String name, @Param("lastCheckIn") java.time.Instant lastCheckIn, @Param("at") java.time.Instant at);

  int deleteIdleCheckIn(@Param("scheduler") String scheduler, @Param("name") String name);

  void deleteDown(@Param("name") String name);

  /** The nodes found dead since then, as rows with no interval and nothing running (a last check-in of 0: unknown). */
  List<NodeRow> findDownSince(@Param("since") java.time.Instant since);

  /** @param jobs null for every job of the group */
  List<NextFireRow> findNextFires(@Param("scheduler") String scheduler, @Param("group") String group, @Param("jobs") List<String> jobs);

  TriggerSummaryRow summarizeTriggers(@Param("scheduler") String scheduler, @Param("group") String group);

  /** The calendar-interval and cron triggers kept in another zone than {@code zone}, or a calendar one without its daylight-saving rule. */
  List<ScheduledTriggers.Stored> findInOtherZone(@Param("scheduler") String scheduler, @Param("zone") String zone);

  String findSetting(@Param("name") String name);

  /** In epoch milliseconds, as every time of the catalogue. */
  long databaseTime();

  void putSetting(@Param("name") String name, @Param("value") String value);
}
