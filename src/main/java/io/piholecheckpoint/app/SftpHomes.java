package io.piholecheckpoint.app;

import io.piholecheckpoint.core.offsite.remote.Destination;
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
  private final Map<Destination, DestinationPlace> places = Collections.synchronizedMap(new WeakHashMap<>());
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

  /** The settings made {@code destination} for this place. */
  void placed(Destination destination, DestinationPlace place) {
    places.put(destination, place);
  }

  /** The destinations in use (the environment's and those added in Settings), read at each home learned. */
  void inUse(Supplier<List<OffsiteTarget>> targets) {
    inUse = targets;
  }

  /**
   * The destination {@code name} at {@code url} (a {@code /~/} one) connected and its server says the
   * home is {@code home}: remembered, and its place compared with the others in use.
   *
   * @throws DestinationException refused, when that folder is another destination's (or inside or around it)
   */
  void learned(String name, URI url, String home) throws DestinationException {
    String server = DestinationPlace.userAtServer(url);
    if (!home.equals(homes.put(server, home)) && kept != null) {
      try {
        kept.save(server, home);
      } catch (RuntimeException e) {
        // known in this process all the same; the next connection after a restart learns it again
        log.warn("Could not keep the home folder of {} in the database: {}", LogText.of(server), LogText.of(e.getMessage()));
      }
    }
    DestinationPlace place = DestinationPlace.of(url, "", "OFFSITE_" + name + "_URL", this);
    for (OffsiteTarget other : inUse.get()) {
      DestinationPlace there = places.get(other.destination());
      if (!other.name().equals(name) && there != null && place.overlaps(there)) {
        throw new DestinationException(Problem.REFUSED, "OFFSITE_" + name + "_URL's /~/ is " + home + " on that server, so it writes to the place of"
            + " OFFSITE_" + other.name() + "_URL, or inside it or around it: the retention of each would delete the other's copies. Give each"
            + " destination a folder of its own; nothing is copied to " + name + " until then");
      }
    }
  }
}
