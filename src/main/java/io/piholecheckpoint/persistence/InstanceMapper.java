package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface InstanceMapper {

  List<InstanceRow> findAll();

  InstanceRow findById(long id);

  String findName(long id);

  InstanceRow findByEnvPrefix(String envPrefix);

  void upsertDefinition(@Param("d") InstanceDefinition definition, @Param("slug") String slug, @Param("time") String time, @Param("now") Instant now);

  int markRemovedUnlessIn(@Param("present") List<String> present, @Param("now") Instant now);

  void updateStatus(@Param("id") long id, @Param("s") PiholeInstance.Status status, @Param("now") Instant now);

  void insertUi(@Param("d") InstanceDefinition settings, @Param("slug") String slug, @Param("time") String time, @Param("paused") boolean paused,
      @Param("password") String password, @Param("totp") String totp, @Param("now") Instant now);

  int updateUi(@Param("id") long id, @Param("d") InstanceDefinition settings, @Param("time") String time, @Param("paused") boolean paused,
      @Param("now") Instant now);

  /** The folder (slug) of every stored instance, removed ones too. */
  List<String> findFolders();

  void updateSecrets(@Param("id") long id, @Param("password") String password, @Param("totp") String totp,
      @Param("clearPassword") boolean clearPassword, @Param("clearTotp") boolean clearTotp);

  InstanceRepository.SealedSecrets findSecrets(long id);

  int setFlags(@Param("id") long id, @Param("paused") Boolean paused, @Param("removed") Boolean removed, @Param("now") Instant now);

  long lastInsertId();

  List<String> findOtherPresentNames(@Param("except") long except);

  int delete(long id);
}
