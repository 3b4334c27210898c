package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Slugs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

public final class InMemoryInstanceRepository implements InstanceRepository {
  private final List<PiholeInstance> instances = new ArrayList<>();
  private final java.util.Map<Long, SealedSecrets> secrets = new java.util.HashMap<>();
  private long nextId = 1;
  private long changes;

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
    long id = existing.map(PiholeInstance::id).orElseGet(() -> nextId++);
    PiholeInstance.Status status = existing.map(PiholeInstance::status).orElse(PiholeInstance.Status.UNKNOWN);
    existing.ifPresent(instances::remove);
    String folder = existing.map(PiholeInstance::slug).orElseGet(() -> folderFor(d.name(), null));
    instances.add(new PiholeInstance(id, d.name(), folder, Origin.ENV, d.envPrefix(), d.url(), d.tls(), d.timeoutSeconds(),
        d.schedule(), d.retention(), d.skipUnchanged(), d.active(), false, false, status));
  }

  @Override
  public synchronized void markRemovedUnlessIn(List<String> present) {
    for (PiholeInstance i : new ArrayList<>(instances)) {
      if (i.origin() == Origin.ENV && !present.contains(i.envPrefix())) {
        replace(i, new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(), i.tls(), i.timeoutSeconds(),
            i.schedule(), i.retention(), i.skipUnchanged(), i.active(), i.paused(), true, i.status()));
      }
    }
  }

  @Override
  public synchronized void updateStatus(long id, PiholeInstance.Status status) {
    findById(id).ifPresent(i -> replace(i, new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(),
        i.tls(), i.timeoutSeconds(), i.schedule(), i.retention(), i.skipUnchanged(), i.active(), i.paused(), i.removed(), status)));
  }

  private void replace(PiholeInstance old, PiholeInstance updated) {
    instances.set(instances.indexOf(old), updated);
  }

  @Override
  public synchronized OptionalLong insertUnlessNameTaken(InstanceDefinition d, SealedSecrets sealed, String folder) {
    boolean taken = instances.stream().anyMatch(i -> !i.removed() && InstanceNames.same(i.name(), d.name()));
    return taken ? OptionalLong.empty() : OptionalLong.of(insert(d, sealed, folder));
  }

  @Override
  public synchronized long insert(InstanceDefinition d, SealedSecrets sealed) {
    return insert(d, sealed, null);
  }

  private String folderFor(String name, String wanted) {
    Set<String> taken = instances.stream().map(PiholeInstance::slug).collect(Collectors.toSet());
    return wanted != null && !taken.contains(wanted) ? wanted : Slugs.folderFor(name, taken);
  }

  private long insert(InstanceDefinition d, SealedSecrets sealed, String folder) {
    long id = nextId++;
    instances.add(new PiholeInstance(id, d.name(), folderFor(d.name(), folder), Origin.UI, null, d.url(), d.tls(), d.timeoutSeconds(), d.schedule(),
        d.retention(), d.skipUnchanged(), true, !d.active(), false, PiholeInstance.Status.UNKNOWN));
    secrets.put(id, sealed);
    changes++;
    return id;
  }

  @Override
  public synchronized boolean updateUnlessNameTaken(long id, InstanceDefinition d, SecretChange change) {
    if (instances.stream().anyMatch(i -> i.id() != id && !i.removed() && InstanceNames.same(i.name(), d.name()))) {
      return false;
    }
    findById(id).ifPresent(i -> replace(i, new PiholeInstance(i.id(), d.name(), i.slug(), i.origin(), i.envPrefix(), d.url(), d.tls(),
        d.timeoutSeconds(), d.schedule(), d.retention(), d.skipUnchanged(), i.active(), !d.active(), i.removed(), i.status())));
    SealedSecrets old = secrets.getOrDefault(id, new SealedSecrets(null, null));
    secrets.put(id, new SealedSecrets(change.clearPassword() ? null : change.password() == null ? old.password() : change.password(),
        change.clearTotpSecret() ? null : change.totpSecret() == null ? old.totpSecret() : change.totpSecret()));
    changes++;
    return true;
  }

  @Override
  public synchronized Optional<SealedSecrets> findSecrets(long id) {
    SealedSecrets s = secrets.get(id);
    return s == null || (s.password() == null && s.totpSecret() == null) ? Optional.empty() : Optional.of(s);
  }

  @Override
  public synchronized void setPaused(long id, boolean paused) {
    findById(id).ifPresent(i -> replace(i, new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(), i.tls(),
        i.timeoutSeconds(), i.schedule(), i.retention(), i.skipUnchanged(), i.active(), paused, i.removed(), i.status())));
    changes++;
  }

  @Override
  public synchronized boolean markRemoved(long id) {
    Optional<PiholeInstance> found = findById(id).filter(i -> !i.removed());
    found.ifPresent(i -> replace(i, new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(), i.tls(),
        i.timeoutSeconds(), i.schedule(), i.retention(), i.skipUnchanged(), i.active(), i.paused(), true, i.status())));
    changes += found.isPresent() ? 1 : 0;
    return found.isPresent();
  }

  @Override
  public synchronized boolean delete(long id) {
    secrets.remove(id);
    boolean deleted = instances.removeIf(i -> i.id() == id);
    changes += deleted ? 1 : 0;
    return deleted;
  }

  @Override
  public synchronized long changes() {
    return changes;
  }
}
