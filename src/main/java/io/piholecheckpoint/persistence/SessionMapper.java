package io.piholecheckpoint.persistence;

import java.time.Instant;
import org.apache.ibatis.annotations.Param;

interface SessionMapper {
  void insert(@Param("idHash") String idHash, @Param("at") Instant at);

  Instant findLastSeen(@Param("idHash") String idHash);

  void updateLastSeen(@Param("idHash") String idHash, @Param("at") Instant at);

  void delete(@Param("idHash") String idHash);

  int deleteIdleSince(@Param("cutoff") Instant cutoff);

  void insertSecret(@Param("name") String name, @Param("value") String value, @Param("at") Instant at);

  String findSecret(@Param("name") String name);
}
