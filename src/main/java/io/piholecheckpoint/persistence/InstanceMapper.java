package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface InstanceMapper {

  List<InstanceRow> findAll();

  InstanceRow findById(long id);

  InstanceRow findByEnvPrefix(String envPrefix);

  void upsertDefinition(@Param("d") InstanceDefinition definition, @Param("slug") String slug, @Param("time") String time, @Param("now") Instant now);

  int markRemovedUnlessIn(@Param("present") List<String> present, @Param("now") Instant now);

  void updateStatus(@Param("id") long id, @Param("s") PiholeInstance.Status status, @Param("now") Instant now);
}
