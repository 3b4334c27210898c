package io.piholecheckpoint.core.instance;

import java.util.List;

/** Keeps the stored instances in step with their definitions and answers questions about them. */
public class InstanceService {
  private final InstanceRepository repository;

  public InstanceService(InstanceRepository repository) {
    this.repository = repository;
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
}
