package io.piholecheckpoint.app;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.persistence.MyBatisSftpHomes;
import java.net.URI;
import java.util.Collections;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home folders SFTP servers gave their users, learned when a destination with a {@code /~/}
 * path connects (the server's answer for ".", its starting folder): no setting says where a home
 * is, and a check of the settings does not connect. Known, {@code sftp://u@nas/~/x} is the place of
 * {@code sftp://u@nas/home/u/x} for {@link DestinationPlace}, at the next check of the settings (an
 * edit or a destination added, its Test) and at once for the destinations in use: the one that learns
 * its home refuses to copy, prune or fetch while its folder is another destination's in use. Homes are
 * kept in the database, so that after a restart the check of the settings at start knows them at once.
 */
final class SftpHomes {
  private static final Logger log = LoggerFactory.getLogger(SftpHomes.class);
  /** By {@code user@host:port} as {@link DestinationPlace} spells a server. */
  private final Map<String, String> homes = new ConcurrentHashMap<>();
  /** Where the homes are kept across restarts; null: in memory only (a check of settings with no database). */
  private final MyBatisSftpHomes kept;
  /** Where each destination made by the settings writes, by the destination itself (not kept for it): only those in use are compared. */
  private final Map<Destination, Placed> places = Collections.synchronizedMap(new WeakHashMap<>());

  /** @param url how a message names the destination's URL to the person who set it: its variable, or the destination added in Settings */
  private record Placed(DestinationPlace place, String url) {
  }
  private volatile Supplier<List<OffsiteTarget>> inUse = List::of;

  SftpHomes() {
    this.kept = null;
  }

  /** With the homes learned before this start. */
  SftpHomes(MyBatisSftpHomes kept) {
    this.kept = kept;
    homes.putAll(kept.findAll());
  }

  /** The home of the URL's user at its server, or null before a destination of that user there connected. */
  String homeOf(URI url) {
    return homes.get(DestinationPlace.userAtServer(url));
  }

  /**
   * The settings made {@code destination} for this place.
   *
   * @param url how messages name its URL: {@code OFFSITE_<NAME>_URL}, or {@code destination <NAME> (added in Settings)}
   */
  void placed(Destination destination, DestinationPlace place, String url) {
    places.put(destination, new Placed(place, url));
  }

  /** The destinations in use (the environment's and those added in Settings), read at each home learned. */
  void inUse(Supplier<List<OffsiteTarget>> targets) {
    inUse = targets;
  }

  /**
   * The destination of {@code config} (a {@code /~/} URL) connected and its server says the home is
   * {@code home}: remembered, and its place compared with the others in use. The refusal names the
   * URL as it was set: a variable of the environment, or the field of a destination added in Settings,
   * whose user has no such variable.
   *
   * @throws DestinationException refused, when that folder is another destination's (or inside or around it)
   */
  void learned(DestinationConfig config, String home) throws DestinationException {
    String name = config.name();
    URI url = config.url();
    String server = DestinationPlace.userAtServer(url);
    if (!home.equals(homes.put(server, home)) && kept != null) {
      try {
        kept.save(server, home);
      } catch (RuntimeException e) {
        // known in this process all the same; the next connection after a restart learns it again
        log.warn("Could not keep the home folder of {} in the database: {}", LogText.of(server), LogText.of(e.getMessage()));
      }
    }
    String setting = config.variable("URL");
    DestinationPlace place = DestinationPlace.of(url, "", setting, this);
    String start = setting.equals("OFFSITE_" + name + "_URL") ? setting + "'s /~/"
        : "The /~/ in the " + setting + " of destination " + name + " (added in Settings)";
    for (OffsiteTarget other : inUse.get()) {
      Placed there = places.get(other.destination());
      if (!other.name().equals(name) && there != null && place.overlaps(there.place())) {
        throw new DestinationException(Problem.REFUSED, start + " is " + home + " on that server, so it writes to the place of"
            + " " + there.url() + ", or inside it or around it: the retention of each would delete the other's copies. Give each"
            + " destination a folder of its own; nothing is copied to " + name + " until then");
      }
    }
  }
}
