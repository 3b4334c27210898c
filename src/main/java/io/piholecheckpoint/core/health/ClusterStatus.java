package io.piholecheckpoint.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The nodes that run the schedules: one ("single", SQLite and its file lock), or those of a cluster
 * sharing Quartz's job store in PostgreSQL, as their check-ins there tell.
 *
 * @param node this process's NODE_NAME
 * @param clockSkew how far this node's clock is ahead of the database server's (negative: behind), as last measured; null when not known
 */
public record ClusterStatus(String mode, String node, List<Node> nodes, Duration clockSkew) {
  /** Quartz's slack before a node that did not check in counts as dead and its work is recovered. */
  public static final Duration GRACE = Duration.ofMillis(7500);

  /**
   * @param lastCheckIn null for the single node, which checks in nowhere
   * @param running the scheduled jobs it runs now (backups, maintenance, copies)
   */
  public record Node(String name, Instant lastCheckIn, boolean alive, int running) {
  }

  public static ClusterStatus single(String node) {
    return new ClusterStatus("single", node, List.of(new Node(node, null, true, 0)), null);
  }

  public ClusterStatus withClockSkew(Duration skew) {
    return new ClusterStatus(mode, node, nodes, skew);
  }

  /** Whether a node that last checked in then, every {@code interval}, still counts as alive, as Quartz counts it. */
  public static boolean alive(Instant lastCheckIn, Duration interval, Instant now) {
    return !now.isAfter(lastCheckIn.plus(interval).plus(GRACE));
  }

  public long aliveNodes() {
    return nodes.stream().filter(Node::alive).count();
  }

  /** Whether another node than this one is alive: then what looks left over in shared places may be its work under way. */
  public boolean othersAlive() {
    return nodes.stream().anyMatch(n -> n.alive() && !n.name().equals(node));
  }
}
