package io.piholecheckpoint.core.registry;

import io.piholecheckpoint.core.contents.NaturalOrder;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.secrets.InstanceSecret;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.secrets.UnreadableSecrets;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.core.settings.SchedulePreview;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.core.units.LogText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the stored instances in step with the environment, and lets people add, change,
 * pause and delete their own. Environment instances are read-only here, but can be paused.
 * Every stored instance is checked against {@link InstanceRules} at start and after each
 * change: one that breaks a rule (an old row, a hand-edited database, a newer rule), or whose
 * secret files cannot be read ({@link UnreadableSecrets}), is marked with its problem and left
 * unscheduled, and the others run.
 */
public class InstanceService {
  private static final Logger log = LoggerFactory.getLogger(InstanceService.class);
  private final InstanceRepository repository;
  private final SecretBox secrets;
  private final FireTimes fireTimes;
  private final UnreadableSecrets unreadable;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  /** By instance id; recomputed, never stored: fixing the data or the rule clears it. */
  private final Map<Long, String> problems = new ConcurrentHashMap<>();
  /**
   * By instance id, what the scheduler refused that the rules let through: kept until the instance changes (or the next
   * start), since a change of another instance plans that one alone and would not find the refusal again.
   */
  private final Map<Long, Refusal> refused = new ConcurrentHashMap<>();
  /**
   * At how many changes of the instances (through any node) the rules were last applied to them all; -1: apply them at the
   * next read. A change on another node (an instance fixed there) moves the count, and the next read here marks again.
   */
  private volatile long marked = -1;
  /**
   * The ids of the instances marked for a secret file alone (none of their settings breaks a rule): their files are looked
   * at again at each read of the instances (a page, the API, /health, a manual backup), so that creating or fixing the file
   * is enough, without a restart. A file read is cheap, and only these few are read.
   */
  private final Set<Long> unreadableFiles = ConcurrentHashMap.newKeySet();
  /** How many of those marks a file made readable has lifted: a change of what the instances show that commits nothing. */
  private final java.util.concurrent.atomic.AtomicLong lifted = new java.util.concurrent.atomic.AtomicLong();
  /** Why each definition the last {@link #applyEnvironment} left out was never created: no row, so no page would say it. */
  private volatile List<String> notCreated = List.of();

  public InstanceService(InstanceRepository repository, SecretBox secrets, FireTimes fireTimes, UnreadableSecrets unreadable) {
    this.repository = repository;
    this.secrets = secrets;
    this.fireTimes = fireTimes;
    this.unreadable = unreadable;
  }

  /** Called with the instance's id after every change of its settings (e.g. to plan its schedule again). */
  public void onChange(LongConsumer listener) {
    listeners.add(listener);
  }

  /** How many changes the instances added here have had, through any process sharing the database. */
  public long changes() {
    return repository.changes();
  }

  /**
   * Applies the environment's definitions on every start: new prefixes are added, known ones
   * updated (and revived if they had been removed), and prefixes that vanished are marked
   * removed so their schedules stop while their backups stay. A definition whose name a Pi-hole
   * added in the web interface has already (in any case) gives way: it is not applied, as if its
   * variables were gone, and logged with what to do. Names are unique, and the older instance keeps
   * its schedule and history rather than either being run under a name that is also another's. A definition stored
   * already as it is writes nothing: a start with the same variables counts no change and looks at no folder.
   *
   * @return how many of the definitions were applied
   */
  public int applyEnvironment(List<InstanceDefinition> definitions) {
    Map<String, PiholeInstance> added = new HashMap<>();
    Map<String, PiholeInstance> stored = new HashMap<>();
    for (PiholeInstance i : repository.findAll()) {
      if (i.fromEnvironment()) {
        stored.put(i.envPrefix(), i);
      } else if (!i.removed() && i.name() != null) {
        added.putIfAbsent(InstanceNames.key(i.name()), i);
      }
    }
    List<String> applied = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    Map<Long, String> givenWay = new HashMap<>();
    for (InstanceDefinition definition : definitions) {
      PiholeInstance other = definition.name() == null ? null : added.get(InstanceNames.key(definition.name()));
      PiholeInstance was = stored.get(definition.envPrefix());
      if (other != null) {
        // one never stored has no row to mark and no backups to keep: say it was not created, not that it was removed
        log.warn("Configuration: PIHOLE_{}_* names its Pi-hole '{}', the name of the Pi-hole '{}' (#{}) added in the web interface; it is"
            + " {} — give it a PIHOLE_{}_NAME of its own, or rename '{}' in the web interface, and restart", definition.envPrefix(),
            LogText.of(definition.name()), LogText.of(other.name()), other.id(), was == null ? "not created (it was never stored, so it has no"
            + " backups)" : "not used (marked removed, its backups stay)", definition.envPrefix(), LogText.of(other.name()));
        if (was == null) {
          leftOut.add(("PIHOLE_%s_* names its Pi-hole '%s', the name of the Pi-hole '%s' (#%d) added in the web interface; it is not created —"
              + " give it a PIHOLE_%s_NAME of its own, or rename '%s' in the web interface, and restart").formatted(definition.envPrefix(),
              definition.name(), other.name(), other.id(), definition.envPrefix(), other.name()));
        } else {
          givenWay.put(was.id(), ("Not backed up: PIHOLE_%s_* names its Pi-hole '%s', the name of the Pi-hole '%s' (#%d) added in the web"
              + " interface — give it a PIHOLE_%s_NAME of its own, or rename '%s' in the web interface, and restart").formatted(
              definition.envPrefix(), definition.name(), other.name(), other.id(), definition.envPrefix(), other.name()));
        }
        continue;
      }
      if (!definition.storedAs(was)) {
        repository.saveDefinition(definition);
      }
      if (was != null && was.removed()) {
        repository.updateStatus(was.id(), PiholeInstance.Status.UNKNOWN); // what it said before it was removed is not news of it now
      }
      applied.add(definition.envPrefix());
    }
    notCreated = List.copyOf(leftOut);
    repository.markRemovedUnlessIn(applied);
    // the page and /health show a removed instance's last status message: it says why, not what a contact said long ago
    givenWay.forEach((id, why) -> repository.updateStatus(id, new PiholeInstance.Status(ConnectionStatus.UNKNOWN, why, null, null, null)));
    return applied.size();
  }

  /** Why each definition the last application of the environment left out before it was ever stored was not created. */
  public List<String> notCreated() {
    return notCreated;
  }

  /** The prefixes of the environment's instances stored and not removed: those the last start applied. */
  public Set<String> environmentPrefixesInUse() {
    return repository.findAll().stream().filter(i -> i.fromEnvironment() && !i.removed()).map(PiholeInstance::envPrefix)
        .collect(Collectors.toSet());
  }

  /** When schedules fire, checked by the same rules as saving them. */
  public SchedulePreview schedules() {
    return new SchedulePreview(fireTimes);
  }

  /** Every instance, removed ones last, each part in natural order (B2 before B10), as every page and the API list them. */
  public List<PiholeInstance> list() {
    markAgainIfChanged();
    return repository.findAll().stream().map(this::withProblem).sorted(LISTED).toList();
  }

  /** The rules applied again once the instances changed through another node (or process) since they were applied here. */
  private void markAgainIfChanged() {
    if (repository.changes() != marked) {
      recheckRules();
    } else {
      unreadableFiles.forEach(this::lookAgainAtFiles);
    }
  }

  /**
   * The marked instances' secret files looked at again, and how many marks a file made readable has lifted so far: reads
   * kept until the next commit (the dashboard's, the API's list) count this as a change too, as no commit marks it.
   */
  public long marksLifted() {
    unreadableFiles.forEach(this::lookAgainAtFiles);
    return lifted.get();
  }

  /** An instance marked for a secret file whose file can be read now loses its mark and is planned, as after a change. */
  private synchronized void lookAgainAtFiles(long id) {
    if (!unreadableFiles.contains(id)) {
      return; // cleared meanwhile by another read
    }
    String mark = problems.get(id);
    recheck(id);
    if (!problems.containsKey(id)) {
      lifted.incrementAndGet();
      String name = repository.findById(id).map(PiholeInstance::name).orElse("#" + id);
      forgetFileFailure(id, mark);
      log.info("Pi-hole '{}': its secret files can be read now; it is scheduled again", LogText.of(name));
      listeners.forEach(l -> l.accept(id));
    }
  }

  /**
   * A backup that failed for the file left its words as the instance's status, which the pages and the API show until the
   * next contact: once the file is readable they are untrue, so they give way to a status that says so. A status of
   * another failure (a wrong password, say) is news of the Pi-hole and stays.
   */
  private void forgetFileFailure(long id, String mark) {
    repository.findById(id).map(PiholeInstance::status)
        .filter(s -> s.connection() == ConnectionStatus.ERROR && s.message() != null && mark != null && mark.contains(s.message()))
        .ifPresent(s -> repository.updateStatus(id, new PiholeInstance.Status(ConnectionStatus.UNKNOWN, "Its secret files can be read now;"
            + " it has not been contacted since they could not be", null, s.piholeVersion(), s.seatsInUse())));
  }

  private static final Comparator<PiholeInstance> LISTED = Comparator.comparing(PiholeInstance::removed)
      .thenComparing(PiholeInstance::name, NaturalOrder.TEXT).thenComparingLong(PiholeInstance::id);

  public PiholeInstance find(long id) {
    return lookUp(id).orElseThrow(() -> new InstanceNotFoundException(id));
  }

  /** The instance, or empty when no instance has the id (deleted, here or on another node). */
  public Optional<PiholeInstance> lookUp(long id) {
    markAgainIfChanged();
    return repository.findById(id).map(this::withProblem);
  }

  /**
   * The instance's name now, or empty when it is gone: one column read, for a log line that names it (a backup's end reads it
   * to show a rename during the run); the rules and problems {@link #lookUp} applies do not change a name.
   */
  public Optional<String> nameOf(long id) {
    return repository.findName(id);
  }

  private PiholeInstance withProblem(PiholeInstance instance) {
    String problem = problems.getOrDefault(instance.id(), refusalOf(instance));
    return problem == null || instance.problem() != null ? instance : instance.withProblem(problem);
  }

  /** The scheduler's refusal of the instance as it is now; one of its settings before a change (on any node) is not. */
  private String refusalOf(PiholeInstance instance) {
    Refusal refusal = refused.get(instance.id());
    return refusal != null && refusal.settings().equals(settingsOf(instance)) ? refusal.problem() : null;
  }

  /** What the scheduler refused, and the instance's settings it refused. */
  private record Refusal(String problem, PiholeInstance settings) {
  }

  /** The instance's settings alone: its status moves with every contact, its mark is what is computed from them. */
  private static PiholeInstance settingsOf(PiholeInstance i) {
    return new PiholeInstance(i.id(), i.name(), i.slug(), i.origin(), i.envPrefix(), i.url(), i.tls(), i.timeoutSeconds(), i.schedule(),
        i.retention(), i.skipUnchanged(), i.active(), i.paused(), i.removed(), PiholeInstance.Status.UNKNOWN);
  }

  /**
   * Applies the rules to every stored instance again. Each new problem is logged once, with
   * what to do; an instance that now passes loses its mark, the scheduler's refusal too (a whole
   * plan follows, as at a start, and refuses again what it still cannot schedule).
   */
  public void recheck() {
    refused.clear();
    recheckRules();
  }

  /** The rules applied to every stored instance, each new problem logged once; the count of changes is read first. */
  private void recheckRules() {
    long changes = repository.changes();
    Map<Long, String> found = new HashMap<>();
    for (PiholeInstance instance : repository.findAll()) {
      if (!instance.removed()) {
        problemOf(instance).ifPresent(p -> found.put(instance.id(), p));
      }
    }
    found.forEach((id, problem) -> logIfNew(id, problem));
    problems.keySet().retainAll(found.keySet());
    unreadableFiles.retainAll(found.keySet());
    problems.putAll(found);
    marked = changes;
  }

  /** The rules applied to one instance again after a change of it: the others' outcomes depend on their own settings only. */
  private void recheck(long id) {
    long before = marked;
    repository.findById(id).filter(i -> !i.removed()).flatMap(this::problemOf).ifPresentOrElse(problem -> {
      logIfNew(id, problem);
      problems.put(id, problem);
    }, () -> problems.remove(id));
    // committed before this read: a count one past the last look is this change alone, and the others' marks stand
    if (before != -1 && repository.changes() == before + 1) {
      marked = before + 1;
    }
  }

  /**
   * Why the instance cannot be backed up on schedule: a rule its settings break, else a secret file that cannot be read
   * (noted in {@link #unreadableFiles}, to be looked at again).
   */
  private Optional<String> problemOf(PiholeInstance instance) {
    Optional<String> broken = InstanceRules.problemOf(instance, fireTimes);
    Optional<String> file = broken.isPresent() ? Optional.empty() : unreadable.problemOf(instance)
        .map(p -> p + " — it is not backed up until the file is fixed (looked at again each time the Pi-hole is shown; no restart needed)");
    if (file.isPresent()) {
      unreadableFiles.add(instance.id());
    } else {
      unreadableFiles.remove(instance.id());
    }
    return broken.or(() -> file);
  }

  /** The scheduler could not schedule the instance: it stays unscheduled, marked with why. */
  public void markUnschedulable(long id, String problem) {
    Optional<PiholeInstance> instance = repository.findById(id);
    if (instance.isEmpty()) {
      return; // deleted meanwhile: nothing to mark
    }
    Refusal before = refused.put(id, new Refusal(problem, settingsOf(instance.get())));
    if (before == null || !problem.equals(before.problem())) {
      logProblem(id, problem);
    }
  }

  /**
   * The instance's schedule fired for the last time (the scheduler has no next fire for it): marked at once as a start marks
   * it, not shown ok with no next run until the next restart. Kept as the scheduler's refusals are, until the instance changes;
   * the rules find it again then, the fire being past.
   */
  public void scheduleEnded(long id) {
    repository.findById(id).filter(i -> !i.removed()).ifPresent(i -> markUnschedulable(id, InstanceRules.scheduleEnded(i)));
  }

  private void logIfNew(long id, String problem) {
    if (!problem.equals(problems.get(id))) {
      logProblem(id, problem);
    }
  }

  private void logProblem(long id, String problem) {
    String name = repository.findById(id).map(PiholeInstance::name).orElse("#" + id);
    log.error("Pi-hole '{}' is not scheduled: {}", LogText.of(name), LogText.of(problem));
  }

  public void recordStatus(long id, PiholeInstance.Status status) {
    repository.updateStatus(id, status);
  }

  /**
   * The first instance whose stored password or TOTP secret this process's key cannot open (saved with another key), or
   * empty when each opens, or none is stored. The secret opened is dropped at once.
   */
  public Optional<String> sealedWithAnotherKey() {
    for (PiholeInstance instance : repository.findAll()) {
      if (!repository.findSecrets(instance.id()).map(this::unreadable).orElseGet(Map::of).isEmpty()) {
        return Optional.of("the stored secret of Pi-hole '%s' cannot be decrypted with this process's FIELD_ENCRYPTION_KEY: it was saved with"
            .formatted(LogText.of(instance.name())) + " another key");
      }
    }
    return Optional.empty();
  }

  /** Each stored secret this process's key cannot open, by its form field, with what to do; the secret opened is dropped at once. */
  private Map<String, String> unreadable(InstanceRepository.SealedSecrets sealed) {
    Map<String, String> unreadable = new LinkedHashMap<>();
    InstanceSecret.PASSWORD.unreadableIn(secrets, sealed.password()).ifPresent(why -> unreadable.put(InstanceSecret.PASSWORD.field(), why));
    InstanceSecret.TOTP_SECRET.unreadableIn(secrets, sealed.totpSecret()).ifPresent(why -> unreadable.put(InstanceSecret.TOTP_SECRET.field(), why));
    return unreadable;
  }

  /**
   * A change that leaves a secret as stored, where that secret was sealed with another FIELD_ENCRYPTION_KEY, is refused: it
   * would be accepted and every backup would still fail on the secret nobody can read. Entering it again, or removing it, is
   * the change that mends it.
   *
   * @throws ValidationException (400) naming each such secret the form keeps
   */
  private void requireReadableWhereKept(long id, InstanceForm.Valid valid) {
    Map<String, String> unreadable = repository.findSecrets(id).map(this::unreadable).orElseGet(Map::of);
    Map<String, String> kept = new LinkedHashMap<>();
    unreadable.forEach((field, why) -> {
      Optional<String> given = field.equals(InstanceSecret.PASSWORD.field()) ? valid.password() : valid.totpSecret();
      if (given.isEmpty()) {
        kept.put(field, why + "; nothing was changed");
      }
    });
    if (!kept.isEmpty()) {
      throw new ValidationException(kept);
    }
  }

  /** Which secrets a UI instance has stored (never their values). */
  public record StoredSecrets(boolean password, boolean totpSecret) {
  }

  public StoredSecrets secretsOf(long id) {
    return repository.findSecrets(id).map(s -> new StoredSecrets(s.password() != null, s.totpSecret() != null))
        .orElse(new StoredSecrets(false, false));
  }

  /** @throws ValidationException with a message per invalid field; nothing is stored then */
  public PiholeInstance create(InstanceForm form) {
    InstanceForm.Valid valid = form.validate(fireTimes);
    requireUniqueName(valid.settings().name(), -1);
    long id = repository.insertUnlessNameTaken(valid.settings(), new InstanceRepository.SealedSecrets(
        valid.password().filter(p -> !p.isEmpty()).map(secrets::seal).orElse(null),
        valid.totpSecret().filter(t -> !t.isEmpty()).map(secrets::seal).orElse(null))).orElseThrow(() -> takenMeanwhile(valid.settings().name()));
    changed(id);
    return find(id);
  }

  /**
   * A UI instance made again from what an off-site copy says of it (its name and address) after
   * the install that knew it was lost: switched off and without a password, so nothing runs until
   * a person has entered its password and switched it on; its status message says so. It keeps the folder its copies are in
   * when no instance here holds it, so that its next copies go beside them; else it gets one of its own.
   */
  public PiholeInstance recreate(String manifestName, String manifestUrl, String source, String folder) {
    // stored composed, as a form's name is: an older manifest may hold the name as the keyboard sent it (and the URL in upper case)
    String name = InstanceNames.normal(manifestName);
    String url = InstanceRules.normalUrl(manifestUrl);
    // what a manifest says is checked as a form would be: a name or address no form takes never becomes an instance
    InstanceNames.problem(name).or(() -> InstanceRules.url(url)).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    requireUniqueName(name, -1);
    long id = repository.insertUnlessNameTaken(new InstanceDefinition(null, name, url, TlsTrust.SYSTEM, null,
        Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, false),
        new InstanceRepository.SealedSecrets(null, null), folder).orElseThrow(() -> takenMeanwhile(name));
    repository.updateStatus(id, new PiholeInstance.Status(ConnectionStatus.UNKNOWN,
        "Re-created from the off-site copies at " + source + ": check its address, enter its password and switch it on to back it up again",
        null, null, null));
    changed(id);
    return find(id);
  }

  /**
   * Saves the form over an instance, in one transaction. For an environment instance only the
   * active switch can change: its other settings belong to its variables.
   *
   * @throws InstanceConflictException naming the variables, when the form changes any of them
   */
  public PiholeInstance update(long id, InstanceForm form) {
    PiholeInstance instance = find(id);
    if (instance.removed()) {
      throw new InstanceConflictException("'" + instance.name() + "' was removed; its settings can no longer change");
    }
    if (instance.fromEnvironment()) {
      List<String> variables = EnvironmentEdits.variablesChanged(instance, form);
      if (!variables.isEmpty()) {
        throw new InstanceConflictException("'%s' is defined by the environment: change %s and restart; here only 'active' can change"
            .formatted(instance.name(), String.join(", ", variables)));
      }
      repository.setPaused(id, !form.active());
    } else if (!form.active() && form.equals(InstanceForm.of(instance).withActive(false))) {
      // switching off changes no setting: taken even when a stored one breaks a rule (a hand-edited row), which stays marked
      repository.setPaused(id, true);
    } else {
      InstanceForm.Valid valid = StoredFaults.validate(form, instance, fireTimes);
      requireUniqueName(valid.settings().name(), id);
      requireReadableWhereKept(id, valid);
      if (!repository.updateUnlessNameTaken(id, valid.settings(), new InstanceRepository.SecretChange(
          valid.password().filter(p -> !p.isEmpty()).map(secrets::seal).orElse(null),
          valid.totpSecret().filter(t -> !t.isEmpty()).map(secrets::seal).orElse(null),
          valid.password().filter(String::isEmpty).isPresent(), valid.totpSecret().filter(String::isEmpty).isPresent()))) {
        throw takenMeanwhileByAnother(valid.settings().name());
      }
    }
    changed(id);
    return find(id);
  }

  public PiholeInstance pause(long id, boolean paused) {
    find(id);
    repository.setPaused(id, paused);
    changed(id);
    return find(id);
  }

  /**
   * Deletes a UI instance: with its backup records (the caller deletes the files first), or
   * keeping them visible under the instance, marked removed.
   */
  public void delete(long id, boolean withBackups) {
    requireDeletable(id);
    if (!(withBackups ? repository.delete(id) : repository.markRemoved(id))) {
      // deleted a moment ago (on another node, in another window), or deleted keeping its backups before: nothing is left to delete
      throw new InstanceNotFoundException(id);
    }
    changed(id);
  }

  /**
   * What a removed instance's refusals say, for a backup and for anything else that would
   * contact it: its URL and credentials are no longer maintained, so nothing logs in there.
   */
  public static String removedMessage(String name) {
    return "Pi-hole '%s' was removed from the configuration; its backups stay available, but it is no longer backed up".formatted(name);
  }

  /**
   * The instance, to contact it (test, restore to it, compare with its live state, add to its history).
   *
   * @throws InstanceConflictException when it was removed from the configuration
   */
  public PiholeInstance findCurrent(long id) {
    PiholeInstance instance = find(id);
    if (instance.removed()) {
      throw new InstanceConflictException(removedMessage(instance.name()));
    }
    return instance;
  }

  /** @throws InstanceConflictException for an instance its environment variables still define */
  public void requireDeletable(long id) {
    PiholeInstance instance = find(id);
    if (instance.fromEnvironment() && !instance.removed()) {
      throw new InstanceConflictException("'%s' is defined by the environment (%s*): remove those variables and restart to delete it"
          .formatted(instance.name(), instance.settingsPrefix()));
    }
  }

  /** The name was free when looked at, and taken before the add committed: by another node, or another window. */
  private static InstanceNameTakenException takenMeanwhile(String name) {
    return new InstanceNameTakenException("An instance named '" + name + "' was added a moment ago (on another node, or in another"
        + " window); nothing was saved from this form — choose another name, or look at that one.");
  }

  /** As {@link #takenMeanwhile}, for a rename. */
  private static InstanceNameTakenException takenMeanwhileByAnother(String name) {
    return new InstanceNameTakenException("Another instance was given the name '" + name + "' a moment ago (on another node, or in"
        + " another window); nothing was saved from this form — choose another name, or look at that one.");
  }

  private void requireUniqueName(String name, long except) {
    for (PiholeInstance other : repository.findAll()) {
      if (other.id() != except && !other.removed() && InstanceNames.same(other.name(), name)) {
        String why = other.fromEnvironment() ? " (defined by the environment, " + other.settingsPrefix() + "*)" : "";
        throw new InstanceNameTakenException("There is already an instance named '" + other.name() + "'" + why + "; choose another name.");
      }
    }
  }

  /**
   * The change is committed and valid: a failure of a listener (the scheduler) must not turn it
   * into an error that looks as if nothing was saved.
   */
  private void changed(long id) {
    refused.remove(id); // planned again below: refused again, or scheduled
    recheck(id);
    for (LongConsumer listener : listeners) {
      try {
        listener.accept(id);
      } catch (RuntimeException e) {
        log.error("The change is saved, but the schedules could not be updated ({}); restart Checkpoint to apply it", LogText.of(e.toString()));
      }
    }
  }
}
