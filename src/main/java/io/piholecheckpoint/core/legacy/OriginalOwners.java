package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance of ours an instance of the original becomes: the one with its environment
 * prefix, else the one with its name, else a new one with its schedule and retention.
 */
final class OriginalOwners {
  private static final Logger log = LoggerFactory.getLogger(OriginalOwners.class);

  private final InstanceRepository instances;
  private final ImportLedger ledger;
  /** Ours that an instance of the original already became in this import: a second one of the same name gets one of its own. */
  private final Set<Long> taken = new HashSet<>();
  /**
   * Ours as they were when the import began, read once: read for every instance of the original,
   * they were 90% of an import of 1,000 (each read maps every row again).
   */
  private final List<PiholeInstance> existing;
  /** Every name in use, those this import gave included. */
  private final List<String> names = new ArrayList<>();

  OriginalOwners(InstanceRepository instances, ImportLedger ledger) {
    this.instances = instances;
    this.ledger = ledger;
    this.existing = instances.findAll();
    existing.forEach(i -> names.add(i.name()));
  }

  /** The id of our instance for {@code row}, linked in the ledger (a resumed import finds the link). */
  long ownerOf(OriginalInstance row) {
    Optional<Long> linked = ledger.instanceOf(row.id());
    if (linked.isPresent()) {
      taken.add(linked.get());
      return linked.get();
    }
    String prefix = OriginalInstances.envPrefix(row);
    if (row.envPrefix() != null && !row.envPrefix().isBlank() && prefix == null) {
      log.warn("Pi-hole Checkpoint 1.x: Pi-hole {} has env_prefix {}, which no PIHOLE_<PREFIX>_ variable can have; it is matched by name",
          row.id(), OriginalRecords.quote(row.envPrefix()));
    }
    InstanceDefaults defaults = OriginalInstances.defaults(row,
        problem -> log.warn("Pi-hole Checkpoint 1.x: Pi-hole {} ({}): {}", row.id(), OriginalRecords.quote(row.name()), problem));
    String name = OriginalInstances.name(row);
    Optional<PiholeInstance> match = (prefix == null ? Optional.<PiholeInstance>empty() : instances.findByEnvPrefix(prefix))
        .or(() -> byName(name));
    long id = match.map(PiholeInstance::id).orElseGet(() -> {
      String unique = uniqueName(name, row);
      names.add(unique);
      return create(row, prefix, unique, defaults);
    });
    match.ifPresent(m -> log.info("Pi-hole Checkpoint 1.x: Pi-hole {} ({}) carries on as '{}'", row.id(), OriginalRecords.quote(row.name()), m.name()));
    taken.add(id);
    ledger.link(row.id(), id, prefix, defaults);
    return id;
  }

  private Optional<PiholeInstance> byName(String name) {
    return existing.stream()
        .filter(i -> !taken.contains(i.id()) && InstanceNames.same(i.name(), name))
        .findFirst();
  }

  /** Names are unique whatever their case: a duplicate of the original's gets its id appended. */
  private String uniqueName(String name, OriginalInstance row) {
    boolean used = names.stream().anyMatch(n -> InstanceNames.same(n, name));
    if (!used) {
      return name;
    }
    String suffix = " (" + row.id() + ")";
    String base = name.codePoints().limit(InstanceNames.NAME_LENGTH - suffix.length())
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().trim();
    log.warn("Pi-hole Checkpoint 1.x: the name of Pi-hole {} is taken; it is called '{}'", row.id(), base + suffix);
    return base + suffix;
  }

  /**
   * Its URL and password were in the original's environment, never in its database: one with a
   * prefix becomes that environment instance (the start applies the PIHOLE_&lt;PREFIX&gt;_ variables, and
   * marks it removed if they are gone); one without is kept as removed, its history visible.
   */
  private long create(OriginalInstance row, String prefix, String name, InstanceDefaults defaults) {
    InstanceDefinition definition = new InstanceDefinition(prefix, name, "", TlsTrust.SYSTEM, null, defaults.schedule(), defaults.retention(),
        false, true);
    long id;
    if (prefix != null) {
      instances.saveDefinition(definition);
      id = instances.findByEnvPrefix(prefix).orElseThrow().id();
    } else {
      id = instances.insert(definition, new InstanceRepository.SealedSecrets(null, null));
      instances.markRemoved(id);
    }
    if (!OriginalInstances.active(row)) {
      instances.setPaused(id, true);
    }
    log.info("Pi-hole Checkpoint 1.x: Pi-hole {} ({}) is added as '{}'{}", row.id(), OriginalRecords.quote(row.name()), name,
        prefix == null ? ", removed (the original kept no address for it); its history stays visible" : " (PIHOLE_" + prefix + "_*)");
    return id;
  }
}
