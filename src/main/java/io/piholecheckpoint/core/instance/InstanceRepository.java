package io.piholecheckpoint.core.instance;

import java.util.List;
import java.util.Optional;

public interface InstanceRepository {

  /** The sealed secrets of a UI instance; either may be null. */
  record SealedSecrets(String password, String totpSecret) {
  }

  List<PiholeInstance> findAll();

  Optional<PiholeInstance> findById(long id);

  Optional<PiholeInstance> findByEnvPrefix(String envPrefix);

  /** Inserts or updates the instance with this definition's prefix, and marks it not removed. */
  void saveDefinition(InstanceDefinition definition);

  /** Marks every environment instance whose prefix is not in {@code present} as removed. */
  void markRemovedUnlessIn(List<String> present);

  void updateStatus(long id, PiholeInstance.Status status);

  /** Stores a UI-created instance and returns its id. */
  long insert(InstanceDefinition settings, SealedSecrets secrets);

  /** Replaces a UI instance's settings; its secrets stay. */
  void update(long id, InstanceDefinition settings);

  /** A null field keeps the stored secret; use {@link #clearSecrets} to remove one. */
  void updateSecrets(long id, SealedSecrets secrets);

  void clearSecrets(long id, boolean password, boolean totpSecret);

  Optional<SealedSecrets> findSecrets(long id);

  void setPaused(long id, boolean paused);

  void markRemoved(long id);

  /** Deletes the instance and, through the schema, its backup records. */
  void delete(long id);
}
