package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.Job;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface JobMapper {
  int insert(@Param("j") JobRow job);

  void delete(@Param("id") String id);

  String noLockWait();

  void running(@Param("id") String id, @Param("records") String records);

  void progress(@Param("id") String id, @Param("state") Job.State state, @Param("bytes") long bytes, @Param("expectedBytes") Long expectedBytes);

  /** The job as ended (UPDATE … RETURNING: no read after it), or null when it was ended already. */
  JobRow finish(@Param("id") String id, @Param("state") Job.State state, @Param("records") String records, @Param("errorCode") String errorCode,
              @Param("error") String error, @Param("at") Instant at, @Param("bytes") Long bytes);

  JobRow findById(@Param("id") String id);

  JobRow findUnfinished(@Param("kind") Job.Kind kind, @Param("subject") String subject);

  List<JobRow> findUnfinishedOfKind(@Param("kind") Job.Kind kind);

  int interrupt(@Param("node") String node, @Param("queuedBefore") Instant queuedBefore, @Param("code") String code, @Param("error") String error, @Param("at") Instant at);

  int deleteFinishedBefore(@Param("cutoff") Instant cutoff);
}
