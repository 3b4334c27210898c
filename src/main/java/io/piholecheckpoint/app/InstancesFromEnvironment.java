package io.piholecheckpoint.app;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.persistence.MyBatisImportLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's {@code PIHOLE_<P>_*} instances, stored only by the process that runs the schedules: at its start, or
 * when a standby takes them over. A standby that stored its own would rewrite the running process's Pi-holes under it
 * (those missing here marked removed and unscheduled there, a URL of another Pi-hole backed up into one's history).
 */
final class InstancesFromEnvironment {
  private static final Logger log = LoggerFactory.getLogger(InstancesFromEnvironment.class);

  private final Map<String, String> env;
  private final FireTimes fireTimes;
  private final MyBatisImportLedger imported;
  private final InstanceService instances;
  private volatile OptionalInt applied = OptionalInt.empty();
  private volatile boolean waited;
  /** The problems the start logged, for the dashboard too. */
  private volatile List<String> logged = List.of();

  InstancesFromEnvironment(Map<String, String> env, FireTimes fireTimes, MyBatisImportLedger imported, InstanceService instances) {
    this.env = env;
    this.fireTimes = fireTimes;
    this.imported = imported;
    this.instances = instances;
  }

  /** The variables read against what is stored now (which prefix keeps a name, the defaults of one carried over from 1.x). */
  EnvironmentInstances.Result read() {
    return EnvironmentInstances.read(env, fireTimes, imported.defaultsByPrefix(), instances.environmentPrefixesInUse());
  }

  /**
   * Each variable that cannot be used, and each Pi-hole whose certificate is not checked, once, at the start of every process:
   * a standby's are as wrong as the active one's.
   */
  void logProblems() {
    EnvironmentInstances.Result read = read();
    logged = read.problems();
    read.problems().forEach(problem -> log.warn("Configuration: {}", LogText.of(problem)));
    EnvironmentInstances.unverified(read.definitions(), env).forEach(line -> log.warn("Configuration: {}", LogText.of(line)));
  }

  /**
   * Each variable that cannot be used or is ignored, and each prefix left out for its name, as the start logged them: shown
   * where people look, as nobody who does not read the log would otherwise learn that a Pi-hole they configured is not backed up.
   * A Pi-hole's plain password or TOTP secret beside its {@code _FILE}, which wins, is among them: one who changed the plain one
   * would otherwise wonder why the Pi-hole still refuses the login.
   */
  List<String> warnings() {
    List<String> overridden = SecretFileVariables.overridden(env).stream().filter(line -> line.startsWith("PIHOLE_")).toList();
    return java.util.stream.Stream.of(logged, overridden, instances.notCreated()).flatMap(List::stream).toList();
  }

  /** Stores the environment's instances, then applies the rules to every stored one; by the process that takes the schedules. */
  int apply() {
    int count = instances.applyEnvironment(read().definitions());
    instances.recheck();
    applied = OptionalInt.of(count);
    if (waited) {
      log.info("Applied this process's environment now that it runs the schedules: {} instance(s) from the environment", count);
    }
    return count;
  }

  /** How many instances this process applied, none while it is a standby. */
  OptionalInt applied() {
    return applied;
  }

  /**
   * A standby leaves what is stored as the process running the schedules applied it: the rules are applied to that, and
   * each of its own instances that differs from it is named once (the variables, never their values).
   */
  void leaveToTheActiveProcess() {
    waited = true;
    instances.recheck();
    Map<String, PiholeInstance> stored = instances.list().stream().filter(i -> i.fromEnvironment() && !i.removed())
        .collect(Collectors.toMap(PiholeInstance::envPrefix, Function.identity(), (a, b) -> a));
    List<String> differ = new ArrayList<>();
    for (InstanceDefinition definition : read().definitions()) {
      PiholeInstance there = stored.remove(definition.envPrefix());
      if (there == null) {
        differ.add("PIHOLE_%s_* (not in use there)".formatted(definition.envPrefix()));
      } else {
        List<String> settings = definition.differencesFrom(there);
        if (!settings.isEmpty()) {
          differ.add("PIHOLE_%s_* (%s differ)".formatted(definition.envPrefix(), String.join(", ", settings)));
        }
      }
    }
    stored.keySet().stream().sorted().forEach(prefix -> differ.add("PIHOLE_%s_* (in use there, not set here)".formatted(prefix)));
    if (!differ.isEmpty()) {
      log.warn("This standby's Pi-holes differ from those the process running the schedules applied: {}. They are left as that process"
          + " applied them, and this one's take effect only if it takes over the schedules (once that process stops)", String.join("; ", differ));
    }
  }
}
