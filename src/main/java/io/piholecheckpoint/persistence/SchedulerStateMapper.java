package io.piholecheckpoint.persistence;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Reads Quartz's clustered job store (PostgreSQL only): its nodes, as they check in. */
interface SchedulerStateMapper {
  List<NodeRow> findNodes(@Param("scheduler") String scheduler);

  List<NextFireRow> findNextFires(@Param("scheduler") String scheduler, @Param("group") String group);

  TriggerSummaryRow summarizeTriggers(@Param("scheduler") String scheduler, @Param("group") String group);
}
