package io.piholecheckpoint.persistence;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface DestinationMapper {
  List<DestinationSettingRow> findAll();

  List<DestinationSettingRow> findByName(String name);

  int insert(@Param("name") String name, @Param("at") Instant at);

  int touch(@Param("name") String name, @Param("at") Instant at);

  void insertSetting(@Param("name") String name, @Param("suffix") String suffix, @Param("value") String value);

  void deleteSettings(String name);

  void delete(String name);

  void deleteCopies(String name);

  void deleteCatchUp(String name);

  void deletePlace(String name);

  /** The destination's name when it is stored, read under a lock that a delete of it waits for (PostgreSQL); null when it is not. */
  String hold(String name);
}
