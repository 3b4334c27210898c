package io.piholecheckpoint.persistence;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** The statements every table of {@link NamedSettings} answers, each in its own mapper XML. */
interface NamedSettingsMapper {
  List<NamedSettingRow> findAll();

  List<NamedSettingRow> findByName(String name);

  int countByName(String name);

  void insert(@Param("name") String name, @Param("at") Instant at);

  void touch(@Param("name") String name, @Param("at") Instant at);

  void insertSetting(@Param("name") String name, @Param("suffix") String suffix, @Param("value") String value);

  void deleteSettings(String name);

  void delete(String name);
}
