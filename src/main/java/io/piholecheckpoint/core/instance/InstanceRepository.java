package io.piholecheckpoint.core.instance;

import java.util.List;
import java.util.OptionalLong;
import java.util.Optional;

public interface InstanceRepository {

  /** The sealed secrets of a UI instance; either may be null. */
  record SealedSecrets(String password, String totpSecret) {
  }

  List<PiholeInstance> findAll();

  Optional<PiholeInstance> findById(long id);

  /** The instance's name alone, or empty when no instance has the id: a log line's read, without the whole row's. */
  default Optional<String> findName(long id) {
    return findById(id).map(PiholeInstance::name);
  }

  Optional<PiholeInstance> findByEnvPrefix(String envPrefix);

  /**
   * Inserts or updates the instance with this definition's prefix, and marks it not removed. A new one gets its folder
   * ({@link Slugs#folderFor}); one stored already keeps its own, renamed or not.
   */
  void saveDefinition(InstanceDefinition definition);

  /** Marks every environment instance whose prefix is not in {@code present} as removed. */
  void markRemovedUnlessIn(List<String> present);

  void updateStatus(long id, PiholeInstance.Status status);

  /** Stores a UI-created instance, with a folder of its own ({@link Slugs#folderFor}), and returns its id. */
  long insert(InstanceDefinition settings, SealedSecrets secrets);

  /**
   * Stores a UI-created instance unless one not removed has its name (in any case), and returns its
   * id: checked and stored in one transaction, one at a time across every process that shares the
   * database, so that two nodes adding one name at the same moment do not both store it.
   *
   * @return empty when the name is taken: nothing was written
   */
  default OptionalLong insertUnlessNameTaken(InstanceDefinition settings, SealedSecrets secrets) {
    return insertUnlessNameTaken(settings, secrets, null);
  }

  /**
   * As {@link #insertUnlessNameTaken(InstanceDefinition, SealedSecrets)}, with the folder {@code folder} when no stored
   * instance holds it (null, or held: one of its own, {@link Slugs#folderFor}): an instance re-created from its off-site
   * copies keeps the folder they are in.
   */
  OptionalLong insertUnlessNameTaken(InstanceDefinition settings, SealedSecrets secrets, String folder);

  /**
   * How an update changes the secrets: a sealed value replaces the stored one, null keeps it,
   * a clear flag removes it.
   */
  record SecretChange(String password, String totpSecret, boolean clearPassword, boolean clearTotpSecret) {
  }

  /**
   * Replaces a UI instance's settings and changes its secrets, in one transaction: all or nothing. As for an add, the name
   * is checked in that transaction, one change at a time across the nodes: two renames to one name on two nodes at the
   * same moment do not both store it.
   *
   * @return false when another instance not removed has the new name (in any case): nothing was written
   */
  boolean updateUnlessNameTaken(long id, InstanceDefinition settings, SecretChange secrets);

  Optional<SealedSecrets> findSecrets(long id);

  void setPaused(long id, boolean paused);

  /**
   * @return false when no instance has the id, or it is marked removed already (deleted a moment before, on another node
   *     too): nothing was written
   */
  boolean markRemoved(long id);

  /**
   * Deletes the instance and, through the schema, its backup records.
   *
   * @return false when no instance has the id (deleted a moment before, on another node too): nothing was deleted
   */
  boolean delete(long id);

  /**
   * How many changes the instances added in the UI or the API have had (added, changed, paused,
   * removed, deleted), by any process sharing the database: a process that plans their schedules
   * plans them again once it moved.
   */
  long changes();
}
