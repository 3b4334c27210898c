package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class InMemoryInstanceRepository implements InstanceRepository {
  private final List<PiholeInstance> instances = new ArrayList<>();

  @Override
  public synchronized List<PiholeInstance> findAll() {
    return List.copyOf(instances);
  }

  @Override
  public synchronized Optional<PiholeInstance> findById(long id) {
    return instances.stream().filter(i -> i.id() == id).findFirst();
  }

  @Override
  public synchronized Optional<PiholeInstance> findByEnvPrefix(String envPrefix) {
    return instances.stream().filter(i -> envPrefix.equals(i.envPrefix())).findFirst();
  }

  @Override
  public synchronized void saveDefinition(InstanceDefinition d) {
    Optional<PiholeInstance> existing = findByEnvPrefix(d.envPrefix());
    long id = existing.map(PiholeInstance::id).orElse((long) instances.size() + 1);
    PiholeInstance.Status status = existing.map(PiholeInstance::status).orElse(PiholeInstance.Status.UNKNOWN);
    existing.ifPresent(instances::remove);
    instances.add(new PiholeInstance(id, d.name(), d.slug(), Origin.ENV, d.envPrefix(), d.url(), d.tls(), d.timeoutSeconds(),
        d.schedule(), d.retention(), d.skipUnchanged(), d.active(), false, status));
  }

  @Override
  public synchronized void markRemovedUnlessIn(List<String> present) {
    for (PiholeInstance i : new ArrayList<>(instances)) {
      if (i.origin() == Origin.ENV && !present.contains(i.envPrefix())) {
        replace(i, new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(), i.tls(), i.timeoutSeconds(),
            i.schedule(), i.retention(), i.skipUnchanged(), i.active(), true, i.status()));
      }
    }
  }

  @Override
  public synchronized void updateStatus(long id, PiholeInstance.Status status) {
    findById(id).ifPresent(i -> replace(i, new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(),
        i.tls(), i.timeoutSeconds(), i.schedule(), i.retention(), i.skipUnchanged(), i.active(), i.removed(), status)));
  }

  private void replace(PiholeInstance old, PiholeInstance updated) {
    instances.set(instances.indexOf(old), updated);
  }
}
