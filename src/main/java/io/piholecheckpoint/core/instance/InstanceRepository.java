package io.piholecheckpoint.core.instance;

import java.util.List;
import java.util.Optional;

public interface InstanceRepository {

  List<PiholeInstance> findAll();

  Optional<PiholeInstance> findById(long id);

  Optional<PiholeInstance> findByEnvPrefix(String envPrefix);

  /** Inserts or updates the instance with this definition's prefix, and marks it not removed. */
  void saveDefinition(InstanceDefinition definition);

  /** Marks every environment instance whose prefix is not in {@code present} as removed. */
  void markRemovedUnlessIn(List<String> present);

  void updateStatus(long id, PiholeInstance.Status status);
}
