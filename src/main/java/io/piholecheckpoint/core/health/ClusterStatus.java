package io.piholecheckpoint.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes that run the schedules: one ("single", SQLite and its file lock), or those of a cluster
 * sharing Quartz's job store in PostgreSQL, as their check-ins there tell.
 *
 * @param node this process's NODE_NAME
 * @param clockSkew how far this node's clock is ahead of the database server's (negative: behind), as last measured; null when not known
 * @param overdue this node's own check-in was found overdue before {@link #asAnswering} counted it alive
 */
public record ClusterStatus(String mode, String node, List<Node> nodes, Duration clockSkew, boolean overdue) {
  public ClusterStatus(String mode, String node, List<Node> nodes, Duration clockSkew) {
    this(mode, node, nodes, clockSkew, false);
  }

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
    return new ClusterStatus(mode, node, nodes, skew, overdue);
  }

  /** Whether a node that last checked in then, every {@code interval}, still counts as alive, as Quartz counts it. */
  public static boolean alive(Instant lastCheckIn, Duration interval, Instant now) {
    return !now.isAfter(lastCheckIn.plus(interval).plus(GRACE));
  }

  /**
   * The cluster as the node that answers tells it: itself alive, whatever its check-in row says (it is answering; a check-in
   * late by a pause, or one the database did not take in an outage, does not make it dead to itself), and listed even before
   * its first check-in.
   */
  public ClusterStatus asAnswering() {
    List<Node> seen = new ArrayList<>();
    boolean listed = false;
    for (Node n : nodes) {
      listed |= n.name().equals(node);
      seen.add(n.name().equals(node) && !n.alive() ? new Node(n.name(), n.lastCheckIn(), true, n.running()) : n);
    }
    if (!listed) {
      seen.add(new Node(node, null, true, 0));
    }
    return new ClusterStatus(mode, node, List.copyOf(seen), clockSkew, checkInOverdue());
  }

  /** Whether this node's own check-in is older than Quartz allows: the others may take it for dead and recover its work. */
  public boolean checkInOverdue() {
    return overdue || nodes.stream().anyMatch(n -> n.name().equals(node) && n.lastCheckIn() != null && !n.alive());
  }

  /** What is wrong with this node's clock, to be shown as it is: null when it is within {@link ClockSkew#TOLERANCE} of the database's (or unknown). */
  public String clockSkewProblem() {
    return clockSkew == null || !ClockSkew.beyond(clockSkew) ? null : ClockSkew.message(clockSkew) + "; fix this machine's clock (NTP)";
  }

  public long aliveNodes() {
    return nodes.stream().filter(Node::alive).count();
  }

  /** Whether another node than this one is alive: then what looks left over in shared places may be its work under way. */
  public boolean othersAlive() {
    return nodes.stream().anyMatch(n -> n.alive() && !n.name().equals(node));
  }
}
