package io.piholecheckpoint.core.offsite.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The destinations in use now: those of the environment, fixed at start, and those added on the
 * Settings page or the API, replaced whenever one is added, changed or deleted, on this node or another. The copy runs,
 * the fetches, the adoption and the pages read it at each use, so a change takes effect at once.
 * A replaced destination's client is closed; a copy running on it fails and is tried again.
 */
public final class OffsiteTargets {
  private final Map<String, OffsiteTarget> environment = new LinkedHashMap<>();
  private final Map<String, String> environmentDisabled;
  private volatile Map<String, OffsiteTarget> managed = Map.of();
  private volatile Map<String, String> managedDisabled = Map.of();
  /** Where each disabled destination was set to write ({@link ConfiguredPlace}), by name: they have no client to say it. */
  private final Map<String, String> environmentPlaces;
  private volatile Map<String, String> managedPlaces = Map.of();
  private volatile Map<String, String> shadowed = Map.of();
  /** Brings those added here up to date (another node may have changed them) before each use. */
  private volatile Runnable refresh = () -> { };

  /** @param disabled destinations of the environment left out at start, with why */
  public OffsiteTargets(List<OffsiteTarget> environment, Map<String, String> disabled) {
    this(environment, disabled, Map.of());
  }

  /** @param places where those disabled were set to write, by name: their {@code OFFSITE_<NAME>_URL}, as it is set */
  public OffsiteTargets(List<OffsiteTarget> environment, Map<String, String> disabled, Map<String, String> places) {
    environment.forEach(t -> this.environment.put(t.name(), t));
    this.environmentDisabled = new TreeMap<>(disabled);
    this.environmentPlaces = shown(places);
  }

  public static OffsiteTargets of(List<OffsiteTarget> targets) {
    return new OffsiteTargets(targets, Map.of());
  }

  /**
   * What brings the destinations added here up to date, run before each use: they are stored in a
   * database other nodes may change them in (see {@link #replaceManaged}).
   */
  public void refreshWith(Runnable refresh) {
    this.refresh = refresh;
  }

  /** Every destination in use, the environment's first. */
  public List<OffsiteTarget> all() {
    refresh.run();
    List<OffsiteTarget> all = new ArrayList<>(environment.values());
    all.addAll(managed.values());
    return all;
  }

  public Optional<OffsiteTarget> find(String name) {
    refresh.run();
    OffsiteTarget target = environment.get(name);
    return Optional.ofNullable(target != null ? target : managed.get(name));
  }

  /** Whether any destination is set, in use or disabled. */
  public boolean configured() {
    return !all().isEmpty() || !disabled().isEmpty();
  }

  /** Destinations left out, by name, with why. */
  public Map<String, String> disabled() {
    refresh.run();
    Map<String, String> all = new TreeMap<>(environmentDisabled);
    all.putAll(managedDisabled);
    return all;
  }

  /** Where a disabled destination was set to write, without a password, query or fragment ({@link ConfiguredPlace}). */
  public Optional<String> disabledPlace(String name) {
    refresh.run();
    String managedPlace = managedDisabled.containsKey(name) ? managedPlaces.get(name) : null;
    return Optional.ofNullable(managedPlace != null ? managedPlace : environmentDisabled.containsKey(name) ? environmentPlaces.get(name) : null);
  }

  /**
   * Destinations added here under a name the environment configures now, with why: the environment's
   * is the one used (its copies are filed under the name), so these are neither in use nor counted as
   * disabled destinations; they are listed for someone to delete.
   */
  public Map<String, String> shadowed() {
    refresh.run();
    return shadowed;
  }

  /** Whether the name is one of the environment's (in use or disabled): those are read-only here. */
  public boolean fromEnvironment(String name) {
    return environment.containsKey(name) || environmentDisabled.containsKey(name);
  }

  /** The destinations added here, all at once; the clients of those they replace are closed. */
  public void replaceManaged(Collection<OffsiteTarget> targets, Map<String, String> disabled) {
    replaceManaged(targets, disabled, Map.of());
  }

  /** @param places where those added here were set to write (their {@code url}), by name: shown for those disabled */
  public synchronized void replaceManaged(Collection<OffsiteTarget> targets, Map<String, String> disabled, Map<String, String> places) {
    Map<String, OffsiteTarget> previous = managed;
    Map<String, OffsiteTarget> next = new TreeMap<>();
    targets.forEach(t -> next.put(t.name(), t));
    managed = next;
    Map<String, String> own = new TreeMap<>();
    Map<String, String> hidden = new TreeMap<>();
    disabled.forEach((name, why) -> (fromEnvironment(name) ? hidden : own).put(name, why));
    managedPlaces = shown(places);
    managedDisabled = Collections.unmodifiableMap(own);
    shadowed = Collections.unmodifiableMap(hidden);
    previous.values().stream().filter(old -> next.get(old.name()) != old).forEach(old -> old.destination().close());
  }

  private static Map<String, String> shown(Map<String, String> places) {
    Map<String, String> shown = new TreeMap<>();
    places.forEach((name, url) -> {
      String place = ConfiguredPlace.of(url);
      if (place != null) {
        shown.put(name, place);
      }
    });
    return Collections.unmodifiableMap(shown);
  }
}
