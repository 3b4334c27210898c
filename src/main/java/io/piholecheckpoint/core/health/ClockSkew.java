package io.piholecheckpoint.core.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far this node's clock is from the database server's, which every node of a cluster reads. Quartz stamps each
 * check-in with the node's own clock and counts a node dead once its stamp is older than its check-in interval plus
 * {@link ClusterStatus#GRACE}, whatever that interval: a node whose clock is that much ahead finds every live node dead
 * at each check-in, and one that far behind is found dead by the others. Half the grace leaves room for a check-in's
 * own lateness (a busy database, a pause of the JVM).
 */
public final class ClockSkew {
  private static final Logger log = LoggerFactory.getLogger(ClockSkew.class);
  /** Beyond this, Quartz's failure detection is wrong or nearly so. */
  public static final Duration TOLERANCE = ClusterStatus.GRACE.dividedBy(2);

  private final Clock clock;
  private final Supplier<Instant> databaseNow;
  private volatile Duration latest;

  /** @param databaseNow the database server's time now ({@code clock_timestamp()}) */
  public ClockSkew(Clock clock, Supplier<Instant> databaseNow) {
    this.clock = clock;
    this.databaseNow = databaseNow;
  }

  /** This clock minus the database's, the query's round trip halved away: positive when this node is ahead. */
  public Duration measure() {
    Instant before = clock.instant();
    Instant database = databaseNow.get();
    Instant after = clock.instant();
    Instant middle = before.plus(Duration.between(before, after).dividedBy(2));
    return Duration.between(database, middle);
  }

  /**
   * At a node's start, before its first check-in.
   *
   * @throws IllegalStateException when this clock is beyond {@link #TOLERANCE} of the database's
   */
  public void require() {
    Duration skew = measure();
    latest = skew;
    if (beyond(skew)) {
      throw new IllegalStateException(message(skew) + ". Fix this machine's clock (run NTP: chrony or systemd-timesyncd) and start the node again");
    }
  }

  /** At each check-in: a clock that drifted since the start is logged once when it goes beyond the tolerance, and shown in /health. */
  public void recheck() {
    Duration previous = latest;
    Duration skew;
    try {
      skew = measure();
    } catch (RuntimeException e) {
      return; // the database is down: the check-in itself says so
    }
    latest = skew;
    if (beyond(skew) && (previous == null || !beyond(previous))) {
      log.warn("{}: this node may declare live nodes dead (or be declared dead). Fix this machine's clock (NTP)", message(skew));
    } else if (!beyond(skew) && previous != null && beyond(previous)) {
      log.info("This node's clock is within {} ms of the database server's again ({} ms)", TOLERANCE.toMillis(), skew.toMillis());
    }
  }

  /** The last skew measured; null before the first measure. */
  public Duration latest() {
    return latest;
  }

  static boolean beyond(Duration skew) {
    return skew.abs().compareTo(TOLERANCE) > 0;
  }

  static String message(Duration skew) {
    return ("This node's clock is %.1f s %s the database server's; the nodes of a cluster tell each other's death by their clocks, and"
        + " more than %.2f s apart they take live nodes for dead").formatted(skew.abs().toMillis() / 1000.0, skew.isNegative() ? "behind" : "ahead of",
        TOLERANCE.toMillis() / 1000.0);
  }
}
