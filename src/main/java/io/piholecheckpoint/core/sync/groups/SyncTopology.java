package io.piholecheckpoint.core.sync.groups;

import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Which groups can run together: each Pi-hole a replica of at most one group, and never a
 * primary and a replica at once (a chain would copy a copy, in an order nobody chose). A Pi-hole
 * is known by its address, not by its record: two records of one address are one Pi-hole, which
 * two groups would overwrite in turn. The environment's groups are judged together: when two of
 * them clash, both are off (which of them the user meant is not ours to guess, and the one that
 * worked must not be switched off by a new one that sorts first). A group disabled for another
 * reason (a bad value, a Pi-hole deleted) still counts: it keeps the Pi-holes it names, or a typo
 * in one group would let the reverse group run and overwrite the primary meant. Groups added in
 * the UI are then taken one at a time, in name order, after those added there that are disabled:
 * one that clashes is refused and never pushes out another.
 */
final class SyncTopology {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "[0:0:0:0:0:0:0:1]");

  private SyncTopology() {
  }

  /** Group name → why it cannot run, for environment groups judged together; each setting named as a variable. */
  static Map<String, String> refusals(List<SyncGroup> groups, List<PiholeInstance> instances) {
    return refusals(groups, List.of(), List.of(), List.of(), instances, Set.of(), (group, suffix) -> "SYNC_" + group + "_" + suffix);
  }

  /**
   * @param environment groups judged together: a clash between two of them refuses both
   * @param environmentDisabled the environment's groups disabled already: they run nowhere, but a group of the
   *     environment that clashes with one is off too (which of the two was meant is not ours to guess)
   * @param added groups taken after them, one at a time
   * @param addedDisabled groups added in the UI disabled already: they keep their Pi-holes from the groups added here
   * @param environmentPrefixes the prefixes P of this process's {@code PIHOLE_<P>_URL} variables: an environment group
   *     naming one means that Pi-hole alone (see {@link #find})
   * @param label the name of a group's setting in messages, by group name and suffix
   */
  static Map<String, String> refusals(List<SyncGroup> environment, List<SyncMembers> environmentDisabled, List<SyncGroup> added,
                                      List<SyncMembers> addedDisabled, List<PiholeInstance> instances,
                                      Set<String> environmentPrefixes, BiFunction<String, String, String> label) {
    Map<String, String> refused = new LinkedHashMap<>();
    List<Members> settled = new ArrayList<>();
    List<Members> declared = new ArrayList<>();
    for (SyncGroup group : environment) {
      Optional<Members> members = members(group, instances, environmentPrefixes, label, refused);
      members.ifPresent(settled::add);
      declared.add(members.orElseGet(() -> held(SyncMembers.of(group), instances, environmentPrefixes)));
    }
    environmentDisabled.forEach(m -> declared.add(held(m, instances, environmentPrefixes)));
    for (Members members : settled) {
      String problem = null;
      for (Members other : declared) {
        if (other != members && !other.name().equals(members.name())) {
          Claims theirs = new Claims();
          theirs.claim(other);
          problem = theirs.clash(members, label);
        }
        if (problem != null) {
          break;
        }
      }
      if (problem != null) {
        refused.put(members.name(), problem + "; both groups are off until one of them is changed");
      }
    }
    // every group of the environment keeps its Pi-holes, running or not; then those added here that are disabled
    Claims claims = new Claims();
    declared.forEach(claims::claim);
    // those added here name their Pi-holes by the records they picked (SyncGroupService): the environment's prefixes are not theirs
    addedDisabled.forEach(m -> claims.claim(held(m, instances, Set.of())));
    for (SyncGroup group : added) {
      Optional<Members> members = members(group, instances, Set.of(), label, refused);
      if (members.isPresent()) {
        String problem = claims.clash(members.get(), label);
        if (problem != null) {
          refused.put(group.name(), problem);
        }
      }
      // refused or not, it keeps what it names from those taken after it; those taken before keep theirs
      claims.claim(members.orElseGet(() -> held(SyncMembers.of(group), instances, Set.of())));
    }
    return refused;
  }

  /**
   * @param primaryRef the primary as the group names it
   * @param primary its Pi-hole; null for a disabled group that names none any more
   */
  private record Members(String name, String primaryRef, PiholeInstance primary, List<String> replicaRefs, List<PiholeInstance> replicas) {
  }

  /** The group's Pi-holes, or empty when one is unknown or the primary is among its replicas (then refused says why). */
  private static Optional<Members> members(SyncGroup group, List<PiholeInstance> instances, Set<String> environmentPrefixes,
                                           BiFunction<String, String, String> label, Map<String, String> refused) {
    String replicasLabel = label.apply(group.name(), "REPLICAS");
    Optional<PiholeInstance> primary = find(group.primary(), instances, environmentPrefixes);
    if (primary.isEmpty()) {
      refused.put(group.name(), label.apply(group.name(), "PRIMARY") + ": " + unknown(group.primary(), environmentPrefixes,
          "give an environment prefix such as HOME, or a name"));
      return Optional.empty();
    }
    List<PiholeInstance> replicas = new ArrayList<>();
    for (String ref : group.replicas()) {
      Optional<PiholeInstance> replica = find(ref, instances, environmentPrefixes);
      if (replica.isEmpty()) {
        refused.put(group.name(), replicasLabel + ": " + unknown(ref, environmentPrefixes, "give environment prefixes such as OFFICE, or names"));
        return Optional.empty();
      }
      if (address(replica.get()).equals(address(primary.get()))) {
        refused.put(group.name(), replicasLabel + ": '" + ref + "' is the group's primary"
            + (replica.get().id() == primary.get().id() ? "" : " (the same address, " + primary.get().url() + ")"));
        return Optional.empty();
      }
      replicas.add(replica.get());
    }
    return Optional.of(new Members(group.name(), group.primary(), primary.get(), group.replicas(), replicas));
  }

  /** The Pi-holes a disabled group still names: those it names that are unknown, or its primary among its replicas, are no one's. */
  private static Members held(SyncMembers group, List<PiholeInstance> instances, Set<String> environmentPrefixes) {
    PiholeInstance primary = group.primary() == null ? null : find(group.primary(), instances, environmentPrefixes).orElse(null);
    List<String> refs = new ArrayList<>();
    List<PiholeInstance> replicas = new ArrayList<>();
    for (String ref : group.replicas()) {
      find(ref, instances, environmentPrefixes).filter(r -> primary == null || !address(r).equals(address(primary))).ifPresent(r -> {
        refs.add(ref);
        replicas.add(r);
      });
    }
    return new Members(group.name(), group.primary(), primary, refs, replicas);
  }

  /** Which groups the Pi-holes taken so far belong to, by address: the group's name and how it names that Pi-hole. */
  private static final class Claims {
    private final Map<String, Claim> replicaOf = new HashMap<>();
    private final Map<String, Claim> primaryOf = new HashMap<>();

    private record Claim(String group, String ref, PiholeInstance instance) {
      /** The group, and the Pi-hole as it names it when {@code ref} is another record of that address. */
      String as(String ref, PiholeInstance instance, String role) {
        return "'" + ref + "' is " + role + " group " + group + (this.instance.id() == instance.id() ? ""
            : ", as '" + this.ref + "' (the same Pi-hole by address, " + this.instance.url() + ")");
      }
    }

    void claim(Members members) {
      if (members.primary() != null) {
        primaryOf.putIfAbsent(address(members.primary()), new Claim(members.name(), members.primaryRef(), members.primary()));
      }
      for (int i = 0; i < members.replicas().size(); i++) {
        replicaOf.putIfAbsent(address(members.replicas().get(i)), new Claim(members.name(), members.replicaRefs().get(i), members.replicas().get(i)));
      }
    }

    /** Why the group cannot run beside those claimed, or null. */
    String clash(Members members, BiFunction<String, String, String> label) {
      String name = members.name();
      for (int i = 0; i < members.replicas().size(); i++) {
        PiholeInstance replica = members.replicas().get(i);
        String at = address(replica);
        String ref = members.replicaRefs().get(i);
        if (replicaOf.containsKey(at)) {
          return label.apply(name, "REPLICAS") + ": " + replicaOf.get(at).as(ref, replica, "already a replica in")
              + " (a replica follows one primary)";
        }
        if (primaryOf.containsKey(at)) {
          return label.apply(name, "REPLICAS") + ": " + primaryOf.get(at).as(ref, replica, "the primary of")
              + " (a chain of syncs is refused)";
        }
      }
      String primary = address(members.primary());
      if (replicaOf.containsKey(primary)) {
        return label.apply(name, "PRIMARY") + ": " + replicaOf.get(primary).as(members.primaryRef(), members.primary(), "a replica in")
            + " (a chain of syncs is refused)";
      }
      return null;
    }
  }

  /**
   * Where a Pi-hole answers, as far as its URL says: host and port (the scheme's default when none
   * is given) and path, in one spelling; a URL that does not parse is its record alone. The names of
   * this machine's loopback that {@code localhost} resolves to are one host, and a fully qualified
   * name's final dot is left out: {@code http://localhost:8081} is the Pi-hole at {@code http://127.0.0.1:8081}.
   */
  static String address(PiholeInstance instance) {
    try {
      URI uri = new URI(instance.url().trim().replaceAll("/+$", ""));
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("(?<=.)\\.$", "");
      return (LOOPBACK.contains(host) ? "localhost" : host) + ":" + port + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (URISyntaxException | RuntimeException e) {
      return "#" + instance.id();
    }
  }

  /** Why no Pi-hole answers to {@code ref}, with what to give instead. */
  private static String unknown(String ref, Set<String> environmentPrefixes, String hint) {
    if (environmentPrefixes.contains(ref)) {
      return "'" + ref + "' is the prefix of PIHOLE_" + ref + "_*, whose Pi-hole was not created (the start's warning about PIHOLE_"
          + ref + "_* says why); the group never takes another Pi-hole of that name in its place";
    }
    return "no Pi-hole '" + ref + "' (" + hint + ")";
  }

  /**
   * An instance still configured, by environment prefix (exact) or by name (ignoring case). A reference that is the prefix
   * of this process's {@code PIHOLE_<P>_URL} means that Pi-hole and no other: when it was not created (its name taken, a
   * bad value), a Pi-hole that merely has that name is someone else's, and a sync would overwrite it.
   *
   * @param environmentPrefixes the prefixes P of this process's {@code PIHOLE_<P>_URL} variables
   */
  static Optional<PiholeInstance> find(String ref, List<PiholeInstance> instances, Set<String> environmentPrefixes) {
    Optional<PiholeInstance> byPrefix = instances.stream().filter(i -> !i.removed()).filter(i -> ref.equals(i.envPrefix())).findFirst();
    if (byPrefix.isPresent() || environmentPrefixes.contains(ref)) {
      return byPrefix;
    }
    return instances.stream().filter(i -> !i.removed()).filter(i -> InstanceNames.same(i.name(), ref)).findFirst();
  }
}
