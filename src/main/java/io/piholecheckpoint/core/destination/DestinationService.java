package io.piholecheckpoint.core.destination;

import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.core.units.LogText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Off-site destinations added on the Settings page or the API: checked by the same rules as those
 * of the environment ({@link DestinationRules}), checked last so that a new one never pushes out
 * one in use, stored with their secrets sealed, and put in use at once, without a restart. One that
 * the rules refuse at start (the environment changed, the field encryption key changed) is
 * disabled with why; it never stops the start.
 */
public final class DestinationService {
  private static final Logger log = LoggerFactory.getLogger(DestinationService.class);
  /** As {@code <NAME>} of {@code OFFSITE_<NAME>_URL}, so that a destination can move to the environment as it is. */
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
  private final DestinationRepository repository;
  private final DestinationRules rules;
  private final SecretBox box;
  private final OffsiteService offsite;
  private final Runnable changed;
  /** At how many changes of the stored destinations those in use were opened; -1: open them again at the next use. */
  private volatile long loaded = -1;
  /**
   * Each destination in use, by name, with the settings it was opened with: one a change of another leaves as it was keeps its
   * client, so its uploads under way go on (a new client would cut them off as if it had been changed). Written under this.
   */
  private Map<String, Opened> opened = Map.of();

  private record Opened(Map<String, String> settings, OffsiteTarget target) {
  }

  /** What the rules made of the stored destinations (and a candidate), with the settings each one was opened from. */
  private record Resolution(DestinationRules.Resolved resolved, Map<String, Map<String, String>> settings) {
  }

  /** @param changed told after every change (the scheduler runs the copies then, and at all once there is a destination) */
  public DestinationService(DestinationRepository repository, DestinationRules rules, SecretBox box, OffsiteService offsite, Runnable changed) {
    this.repository = repository;
    this.rules = rules;
    this.box = box;
    this.offsite = offsite;
    this.changed = changed;
  }

  /**
   * Puts the stored destinations in use, now and as they change: every use of the destinations in
   * use, on any node that shares the database, looks at the count of their changes, and opens them
   * again once it has moved (a destination added, changed or deleted on another node), never a
   * copy taken at this node's start. Each one the rules refuse is disabled with why, and logged.
   */
  public void start() {
    offsite.targetSet().refreshWith(this::refresh);
    refresh();
  }

  /** The destinations in use, opened again when the stored ones changed since they were (here or on another node). */
  private void refresh() {
    try {
      if (repository.changes() != loaded) {
        reload();
      }
    } catch (RuntimeException e) {
      // the database is out of reach: those in use stay, and the next use looks again (health and pages say it is unreachable)
      log.debug("Could not look for changed off-site destinations: {}", e.getMessage());
    }
  }

  private void reload() {
    synchronized (this) {
      long changes = repository.changes(); // before the destinations: a change committed in between opens them again at the next use
      if (changes == loaded) {
        return;
      }
      List<ManagedDestination> stored = repository.findAll();
      Resolution resolution = resolve(stored, null);
      DestinationRules.Resolved resolved = resolution.resolved();
      putInUse(resolution, stored);
      loaded = changes;
      resolved.disabled().forEach((name, why) -> log.warn("Off-site destination {} (added in Settings) is disabled: {}. Change it in Settings",
          name, LogText.of(why)));
      resolved.targets().forEach(t -> log.info("Off-site copies go to {} ({}, added in Settings){}", t.name(), LogText.of(t.destination().describe()),
          t.encrypt() ? ", encrypted" : ", NOT encrypted"));
    }
  }

  /**
   * Puts what this node resolved for its own change in use. It is what is stored when the count of
   * changes moved by this one alone since {@code before}; after a change of another node meanwhile
   * they are opened again from the database at the next use.
   */
  private void inUse(Resolution resolution, List<ManagedDestination> stored, long before) {
    putInUse(resolution, stored);
    long after = repository.changes();
    loaded = after == before + 1 ? after : -1;
  }

  /** By name, secrets sealed: show {@link ManagedDestination#plainSettings()} and {@link ManagedDestination#secretsSet()} only. */
  public List<ManagedDestination> list() {
    return repository.findAll();
  }

  /** @throws io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException when none was added here by that name */
  public ManagedDestination find(String name) {
    return repository.find(name.toUpperCase(Locale.ROOT)).orElseThrow(() -> notFound(name));
  }

  /** Whether the name is the environment's, which is read-only here. */
  public boolean inEnvironment(String name) {
    return rules.inEnvironment(name.toUpperCase(Locale.ROOT));
  }

  /**
   * @throws ValidationException (400) for a name or URL that is missing or malformed
   * @throws DestinationConflictException (409) when the name is taken
   * @throws DestinationRefusedException (422) when the rules refuse the settings
   */
  public synchronized ManagedDestination add(DestinationForm form) {
    String name = name(form.name());
    if (rules.inEnvironment(name)) {
      throw new DestinationConflictException("OFFSITE_" + name + "_URL configures a destination named " + name
          + " in the environment; give this one another name");
    }
    if (repository.find(name).isPresent()) {
      throw new DestinationConflictException("a destination named " + name + " was already added; change that one, or choose another name");
    }
    return store(name, form.over(Map.of()), null);
  }

  /** The stored settings with the form's over them; the name cannot change (it names the copies there). */
  public synchronized ManagedDestination update(String name, DestinationForm form) {
    String key = name.toUpperCase(Locale.ROOT);
    refuseEnvironment(key);
    ManagedDestination stored = repository.find(key).orElseThrow(() -> notFound(name));
    if (form.name() != null && !form.name().isBlank() && !form.name().strip().equalsIgnoreCase(key)) {
      throw new ValidationException(Map.of("name", "a destination keeps its name (its copies and their history are filed under it); "
          + "add a new one and delete this one instead"));
    }
    return store(key, form.over(openToChange(stored.settings(), form)), stored);
  }

  /**
   * Deletes the destination and the queue rows of its copies; what it holds there stays there. One
   * added here under a name the environment took since is deleted too, with its settings alone:
   * the copies under that name are the environment's.
   *
   * @throws DestinationConflictException for a destination of the environment
   */
  public synchronized void delete(String name) {
    String key = name.toUpperCase(Locale.ROOT);
    long before = repository.changes();
    if (repository.find(key).isEmpty()) {
      refuseEnvironment(key);
      throw notFound(name);
    }
    if (!(rules.inEnvironment(key) ? repository.deleteSettings(key) : repository.delete(key))) {
      throw notFound(name); // deleted a moment ago, on another node or in another window
    }
    List<ManagedDestination> stored = repository.findAll();
    inUse(resolve(stored, null), stored, before);
    log.info("Off-site destination {} deleted in Settings; its copies there are kept", key);
    changed.run();
  }

  /**
   * The destination the form describes, opened and checked but not stored, for a Test before it is
   * saved: the caller closes it. For the name of one added here, its stored secrets fill the empty ones.
   */
  public OffsiteTarget open(DestinationForm form) {
    String name = name(form.name());
    Map<String, String> base = rules.inEnvironment(name) ? Map.of()
        : repository.find(name).map(stored -> openToChange(stored.settings(), form)).orElse(Map.of());
    Map<String, String> settings = required(form.over(base));
    DestinationRules.Resolved resolved = rules.resolve(List.of(new DestinationRules.Plain(name, settings)));
    if (resolved.targets().isEmpty()) {
      throw new DestinationRefusedException(resolved.disabled().getOrDefault(name, "the settings are not valid"));
    }
    return resolved.targets().get(0);
  }

  private ManagedDestination store(String name, Map<String, String> settings, ManagedDestination previous) {
    required(settings);
    long before = repository.changes();
    List<ManagedDestination> others = repository.findAll().stream().filter(d -> !d.name().equals(name)).toList();
    Resolution resolution = resolve(others, new DestinationRules.Plain(name, settings));
    DestinationRules.Resolved resolved = resolution.resolved();
    if (resolved.disabled().containsKey(name)) {
      resolved.targets().forEach(t -> t.destination().close());
      throw new DestinationRefusedException(resolved.disabled().get(name));
    }
    Map<String, String> sealed = new HashMap<>();
    settings.forEach((suffix, value) -> sealed.put(suffix, DestinationFields.SECRETS.contains(suffix) ? box.seal(value) : value));
    ManagedDestination saved = new ManagedDestination(name, sealed);
    if (previous == null ? !repository.add(saved) : !repository.save(saved)) {
      resolved.targets().forEach(t -> t.destination().close());
      throw previous == null
          ? new DestinationConflictException("a destination named " + name + " was added a moment ago (on another node, or in another"
              + " window); nothing was saved from this form — look at that one in Settings, or choose another name")
          : notFound(name);
    }
    inUse(resolution, others, before); // the one stored now is in use: only the others' places can be shown as disabled
    log.info("Off-site destination {} {} in Settings", name, previous == null ? "added" : "changed");
    changed.run();
    return saved;
  }

  /** The stored ones in order, then the candidate last, each with its secrets opened; one that cannot be opened is disabled with why. */
  private Resolution resolve(List<ManagedDestination> stored, DestinationRules.Plain candidate) {
    List<DestinationRules.Plain> plain = new ArrayList<>();
    Map<String, String> unreadable = new HashMap<>();
    for (ManagedDestination d : stored) {
      try {
        plain.add(new DestinationRules.Plain(d.name(), open(d.settings(), d.name())));
      } catch (SecretBox.SecretUnavailableException e) {
        unreadable.put(d.name(), e.getMessage());
      }
    }
    if (candidate != null) {
      plain.add(candidate);
    }
    Map<String, Map<String, String>> settings = new HashMap<>();
    plain.forEach(p -> settings.put(p.name(), p.settings()));
    DestinationRules.Resolved resolved = rules.resolve(plain);
    if (unreadable.isEmpty()) {
      return new Resolution(resolved, settings);
    }
    Map<String, String> disabled = new HashMap<>(resolved.disabled());
    disabled.putAll(unreadable);
    return new Resolution(new DestinationRules.Resolved(resolved.targets(), disabled), settings);
  }

  /**
   * Puts the resolved destinations in use. One opened from the same settings as the one in use under its name keeps that one
   * (the new client is closed unused): only a destination deleted or changed loses its client and its uploads under way.
   */
  private void putInUse(Resolution resolution, List<ManagedDestination> stored) {
    Map<String, Opened> next = new HashMap<>();
    List<OffsiteTarget> targets = new ArrayList<>();
    for (OffsiteTarget fresh : resolution.resolved().targets()) {
      Map<String, String> settings = resolution.settings().get(fresh.name());
      Opened before = opened.get(fresh.name());
      OffsiteTarget target = fresh;
      if (before != null && before.settings().equals(settings)) {
        fresh.destination().close();
        target = before.target();
      }
      targets.add(target);
      next.put(target.name(), new Opened(settings, target));
    }
    opened = next;
    offsite.targetSet().replaceManaged(targets, resolution.resolved().disabled(), places(stored));
    offsite.destinationsChanged();
  }

  /** Where each was set to write, by name: its {@code url}, which is no secret; shown for one that is disabled. */
  private static Map<String, String> places(List<ManagedDestination> stored) {
    Map<String, String> places = new HashMap<>();
    stored.forEach(d -> {
      String url = d.plainSettings().get("URL");
      if (url != null) {
        places.put(d.name(), url);
      }
    });
    return places;
  }

  /**
   * The stored settings opened for a change or a Test, where a secret sealed with another FIELD_ENCRYPTION_KEY is the one
   * thing the form must give again (or remove with {@code -}): the destination was disabled saying "enter the secret again",
   * and a change of anything else cannot keep a secret nobody can read.
   *
   * @throws ValidationException (400) naming each such secret the form leaves as stored
   */
  private Map<String, String> openToChange(Map<String, String> settings, DestinationForm form) {
    Map<String, String> plain = new HashMap<>();
    Map<String, String> unreadable = new HashMap<>();
    settings.forEach((suffix, value) -> {
      if (!DestinationFields.SECRETS.contains(suffix)) {
        plain.put(suffix, value);
        return;
      }
      try {
        plain.put(suffix, box.open(value));
      } catch (SecretBox.SecretUnavailableException e) {
        String given = form.values().get(suffix);
        if (given == null || given.isBlank()) {
          unreadable.put(DestinationFields.field(suffix), "saved with another FIELD_ENCRYPTION_KEY, so it cannot be read: enter it again"
              + " (or - to remove it), or restore that key; nothing was changed");
        }
      }
    });
    if (!unreadable.isEmpty()) {
      throw new ValidationException(unreadable);
    }
    return plain;
  }

  private Map<String, String> open(Map<String, String> settings, String name) {
    Map<String, String> plain = new HashMap<>();
    settings.forEach((suffix, value) -> plain.put(suffix, DestinationFields.SECRETS.contains(suffix) ? box.open(value) : value));
    return plain;
  }

  private static String name(String given) {
    String name = given == null ? "" : given.strip().toUpperCase(Locale.ROOT);
    if (!NAME.matcher(name).matches()) {
      throw new ValidationException(Map.of("name", "a name is a letter, then letters, digits or _ (up to 40), as NAS or B2_EU: "
          + "it names the destination as OFFSITE_<NAME>_ would"));
    }
    return name;
  }

  private static Map<String, String> required(Map<String, String> settings) {
    if (settings.getOrDefault("URL", "").isBlank()) {
      throw new ValidationException(Map.of("url", "say where the copies go: file:///mnt/nas/checkpoint, s3://bucket/prefix, "
          + "sftp://user@host:22/path or webdav+https://host/path"));
    }
    return settings;
  }

  private void refuseEnvironment(String name) {
    if (rules.inEnvironment(name)) {
      throw new DestinationConflictException(name + " is configured in the environment (OFFSITE_" + name
          + "_*): change it there and restart; only destinations added here can be changed here");
    }
  }

  private DestinationNotFoundException notFound(String name) {
    return DestinationNotFoundException.inSettings(name, repository.findAll().stream().map(ManagedDestination::name).toList());
  }
}
