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
 * worked must not be switched off by a new one that sorts first). Groups added in the UI are then
 * taken one at a time, in name order: one that clashes is refused and never pushes out another.
 */
final class SyncTopology {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "[0:0:0:0:0:0:0:1]");

  private SyncTopology() {
  }

  /** Group name → why it cannot run, for environment groups judged together; each setting named as a variable. */
  static Map<String, String> refusals(List<SyncGroup> groups, List<PiholeInstance> instances) {
    return refusals(groups, List.of(), instances, (group, suffix) -> "SYNC_" + group + "_" + suffix);
  }

  /**
   * @param environment groups judged together: a clash between two of them refuses both
   * @param added groups taken after them, one at a time
   * @param label the name of a group's setting in messages, by group name and suffix
   */
  static Map<String, String> refusals(List<SyncGroup> environment, List<SyncGroup> added, List<PiholeInstance> instances,
                                      BiFunction<String, String, String> label) {
    Map<String, String> refused = new LinkedHashMap<>();
    List<Members> settled = new ArrayList<>();
    for (SyncGroup group : environment) {
      members(group, instances, label, refused).ifPresent(settled::add);
    }
    Claims claims = new Claims();
    for (Members members : settled) {
      String problem = null;
      for (Members other : settled) {
        if (other != members) {
          Claims theirs = new Claims();
          theirs.claim(other);
          problem = theirs.clash(members, label);
        }
        if (problem != null) {
          break;
        }
      }
      if (problem != null) {
        refused.put(members.group().name(), problem + "; both groups are off until one of them is changed");
      }
    }
    settled.stream().filter(m -> !refused.containsKey(m.group().name())).forEach(claims::claim);
    for (SyncGroup group : added) {
      Optional<Members> members = members(group, instances, label, refused);
      if (members.isPresent()) {
        String problem = claims.clash(members.get(), label);
        if (problem != null) {
          refused.put(group.name(), problem);
        } else {
          claims.claim(members.get());
        }
      }
    }
    return refused;
  }

  private record Members(SyncGroup group, PiholeInstance primary, List<PiholeInstance> replicas) {
  }

  /** The group's Pi-holes, or empty when one is unknown or the primary is among its replicas (then refused says why). */
  private static Optional<Members> members(SyncGroup group, List<PiholeInstance> instances, BiFunction<String, String, String> label,
                                           Map<String, String> refused) {
    String replicasLabel = label.apply(group.name(), "REPLICAS");
    Optional<PiholeInstance> primary = find(group.primary(), instances);
    if (primary.isEmpty()) {
      refused.put(group.name(), label.apply(group.name(), "PRIMARY") + ": no Pi-hole '" + group.primary()
          + "' (give an environment prefix such as HOME, or a name)");
      return Optional.empty();
    }
    List<PiholeInstance> replicas = new ArrayList<>();
    for (String ref : group.replicas()) {
      Optional<PiholeInstance> replica = find(ref, instances);
      if (replica.isEmpty()) {
        refused.put(group.name(), replicasLabel + ": no Pi-hole '" + ref + "' (give environment prefixes such as OFFICE, or names)");
        return Optional.empty();
      }
      if (address(replica.get()).equals(address(primary.get()))) {
        refused.put(group.name(), replicasLabel + ": '" + ref + "' is the group's primary"
            + (replica.get().id() == primary.get().id() ? "" : " (the same address, " + primary.get().url() + ")"));
        return Optional.empty();
      }
      replicas.add(replica.get());
    }
    return Optional.of(new Members(group, primary.get(), replicas));
  }

  /** Which groups the Pi-holes taken so far belong to, by address. */
  private static final class Claims {
    private final Map<String, String> replicaOf = new HashMap<>();
    private final Map<String, String> primaryOf = new HashMap<>();

    void claim(Members members) {
      primaryOf.putIfAbsent(address(members.primary()), members.group().name());
      members.replicas().forEach(r -> replicaOf.put(address(r), members.group().name()));
    }

    /** Why the group cannot run beside those claimed, or null. */
    String clash(Members members, BiFunction<String, String, String> label) {
      String name = members.group().name();
      for (int i = 0; i < members.replicas().size(); i++) {
        String at = address(members.replicas().get(i));
        String ref = members.group().replicas().get(i);
        if (replicaOf.containsKey(at)) {
          return label.apply(name, "REPLICAS") + ": '" + ref + "' is already a replica in group " + replicaOf.get(at)
              + " (a replica follows one primary)";
        }
        if (primaryOf.containsKey(at)) {
          return label.apply(name, "REPLICAS") + ": '" + ref + "' is the primary of group " + primaryOf.get(at)
              + " (a chain of syncs is refused)";
        }
      }
      String primary = address(members.primary());
      if (replicaOf.containsKey(primary)) {
        return label.apply(name, "PRIMARY") + ": '" + members.group().primary() + "' is a replica in group " + replicaOf.get(primary)
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

  /** An instance still configured, by environment prefix (exact) or by name (ignoring case). */
  static Optional<PiholeInstance> find(String ref, List<PiholeInstance> instances) {
    return instances.stream().filter(i -> !i.removed()).filter(i -> ref.equals(i.envPrefix())).findFirst()
        .or(() -> instances.stream().filter(i -> !i.removed()).filter(i -> InstanceNames.same(i.name(), ref)).findFirst());
  }
}
