package io.piholecheckpoint.core.instance;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Keeps the stored instances in step with the environment, and lets people add, change,
 * pause and delete their own. Environment instances are read-only here, but can be paused.
 */
public class InstanceService {
  private final InstanceRepository repository;
  private final SecretBox secrets;
  private final Predicate<String> validCron;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public InstanceService(InstanceRepository repository, SecretBox secrets, Predicate<String> validCron) {
    this.repository = repository;
    this.secrets = secrets;
    this.validCron = validCron;
  }

  /** Called after every change of an instance's settings (e.g. to reschedule). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Applies the environment's definitions on every start: new prefixes are added, known ones
   * updated (and revived if they had been removed), and prefixes that vanished are marked
   * removed so their schedules stop while their backups stay.
   */
  public void applyEnvironment(List<InstanceDefinition> definitions) {
    definitions.forEach(repository::saveDefinition);
    repository.markRemovedUnlessIn(definitions.stream().map(InstanceDefinition::envPrefix).toList());
  }

  public List<PiholeInstance> list() {
    return repository.findAll();
  }

  public PiholeInstance find(long id) {
    return repository.findById(id).orElseThrow(() -> new InstanceNotFoundException(id));
  }

  public void recordStatus(long id, PiholeInstance.Status status) {
    repository.updateStatus(id, status);
  }

  /** Which secrets a UI instance has stored (never their values). */
  public record StoredSecrets(boolean password, boolean totpSecret) {
  }

  public StoredSecrets secretsOf(long id) {
    return repository.findSecrets(id).map(s -> new StoredSecrets(s.password() != null, s.totpSecret() != null))
        .orElse(new StoredSecrets(false, false));
  }

  /** @throws ValidationException with a message per invalid field */
  public PiholeInstance create(InstanceForm form) {
    InstanceForm.Valid valid = form.validate(validCron);
    requireUniqueName(valid.settings().name(), -1);
    long id = repository.insert(valid.settings(), new InstanceRepository.SealedSecrets(
        valid.password().filter(p -> !p.isEmpty()).map(secrets::seal).orElse(null),
        valid.totpSecret().filter(t -> !t.isEmpty()).map(secrets::seal).orElse(null)));
    changed();
    return find(id);
  }

  /**
   * Saves the form over an instance. For an environment instance only the active switch
   * counts: its other settings belong to its variables.
   */
  public PiholeInstance update(long id, InstanceForm form) {
    PiholeInstance instance = find(id);
    if (instance.removed()) {
      throw new InstanceConflictException("'" + instance.name() + "' was removed; its settings can no longer change");
    }
    if (instance.fromEnvironment()) {
      repository.setPaused(id, !form.active());
    } else {
      InstanceForm.Valid valid = form.validate(validCron);
      requireUniqueName(valid.settings().name(), id);
      repository.update(id, valid.settings());
      repository.updateSecrets(id, new InstanceRepository.SealedSecrets(
          valid.password().filter(p -> !p.isEmpty()).map(secrets::seal).orElse(null),
          valid.totpSecret().filter(t -> !t.isEmpty()).map(secrets::seal).orElse(null)));
      repository.clearSecrets(id, valid.password().filter(String::isEmpty).isPresent(), valid.totpSecret().filter(String::isEmpty).isPresent());
    }
    changed();
    return find(id);
  }

  public PiholeInstance pause(long id, boolean paused) {
    find(id);
    repository.setPaused(id, paused);
    changed();
    return find(id);
  }

  /**
   * Deletes a UI instance: with its backup records (the caller deletes the files first), or
   * keeping them visible under the instance, marked removed.
   */
  public void delete(long id, boolean withBackups) {
    requireDeletable(id);
    if (withBackups) {
      repository.delete(id);
    } else {
      repository.markRemoved(id);
    }
    changed();
  }

  /** @throws InstanceConflictException for an instance its environment variables still define */
  public void requireDeletable(long id) {
    PiholeInstance instance = find(id);
    if (instance.fromEnvironment() && !instance.removed()) {
      throw new InstanceConflictException("'%s' is defined by the environment (%s*): remove those variables and restart to delete it"
          .formatted(instance.name(), instance.settingsPrefix()));
    }
  }

  private void requireUniqueName(String name, long except) {
    for (PiholeInstance other : repository.findAll()) {
      if (other.id() != except && !other.removed() && other.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        String why = other.fromEnvironment() ? " (defined by the environment, " + other.settingsPrefix() + "*)" : "";
        throw new ValidationException(Map.of("name", "There is already an instance named '" + other.name() + "'" + why + "; choose another name."));
      }
    }
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }
}
