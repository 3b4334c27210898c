package io.piholecheckpoint.app;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.persistence.ClusterSettings;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nodes of a cluster must agree on, checked at a node's start before it touches a trigger or an archive.
 * A node with another SCHEDULE_SPREAD or TIME_ZONE would rewrite every shared trigger and run the moved fires as catch-ups;
 * a node with another archive store (another STORAGE_URL, none, or a BACKUP_DIR that is not the shared mount)
 * would keep its backups where no other node finds them. While other nodes run, such a node is refused; a
 * node that starts alone sets what the cluster has from then on.
 */
final class ClusterAgreement {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgreement.class);
  static final String SPREAD = "schedule_spread";
  static final String STORE_ID = "store_id";
  static final String TIME_ZONE = "time_zone";
  /** A digest of the session key (never the key, never the app password): "password:" or "open:" before it. */
  static final String SESSIONS = "session_key";

  /** The id a cluster writes into its archive store, read back by every node at its start. */
  interface StoreMark {
    /** Empty when the store holds no mark. */
    Optional<String> read() throws IOException;

    void write(String id) throws IOException;

    /** Where the mark is, for messages: STORAGE_URL's place or BACKUP_DIR, never a credential. */
    String where();
  }

  private final ClusterSettings settings;

  ClusterAgreement(ClusterSettings settings) {
    this.settings = settings;
  }

  /**
   * @param running the other nodes that check in now, by name (empty: this node starts alone)
   * @return the id the cluster's archive store must hold (empty when none is known): a store without it is not the cluster's
   * @throws IllegalStateException when this node must not start beside the running ones
   */
  Optional<String> require(Duration spread, StoreMark store, List<String> running) {
    requireSpread(spread, running);
    requireStore(store, running);
    return settings.find(STORE_ID);
  }

  /**
   * The shared triggers' fire times are computed in TIME_ZONE by whichever node saves them: with nodes in different zones a
   * daily 04:00 moves by the offset at every save, and each node shows another next run than the trigger holds.
   *
   * @throws IllegalStateException when the nodes running use another TIME_ZONE
   */
  void requireTimeZone(ZoneId zone, List<String> running) {
    Optional<String> agreed = settings.find(TIME_ZONE);
    if (agreed.isPresent() && agreed.get().equals(zone.getId())) {
      return;
    }
    if (agreed.isPresent() && !running.isEmpty()) {
      throw new IllegalStateException(("TIME_ZONE is %s on this node but %s on the nodes running (%s): the nodes share one schedule, and a node"
          + " in another zone would move the Pi-holes' runs by the difference at every change it saves. Set TIME_ZONE=%s here, or stop every"
          + " node and start them all with the new value").formatted(zone.getId(), agreed.get(), String.join(", ", running), agreed.get()));
    }
    agreed.ifPresent(old -> log.info("TIME_ZONE changes from {} to {} for the whole cluster: the schedules are read in {} from this start",
        old, zone.getId(), zone.getId()));
    settings.put(TIME_ZONE, zone.getId());
  }

  private void requireSpread(Duration spread, List<String> running) {
    Optional<String> agreed = settings.find(SPREAD);
    if (agreed.isPresent() && agreed.get().equals(spread.toString())) {
      return;
    }
    if (agreed.isPresent() && !running.isEmpty()) {
      throw new IllegalStateException(("SCHEDULE_SPREAD is %s on this node but %s on the nodes running (%s): the nodes share one schedule,"
          + " and a node with another spread would move every Pi-hole's runs and back each one up twice. Set SCHEDULE_SPREAD=%s here,"
          + " or stop every node and start them all with the new value").formatted(text(spread), text(Duration.parse(agreed.get())),
          String.join(", ", running), text(Duration.parse(agreed.get()))));
    }
    agreed.ifPresent(old -> log.info("SCHEDULE_SPREAD changes from {} to {} for the whole cluster: the schedules move at this start",
        text(Duration.parse(old)), text(spread)));
    settings.put(SPREAD, spread.toString());
  }

  private void requireStore(StoreMark store, List<String> running) {
    Optional<String> mark;
    try {
      mark = store.read();
    } catch (OwnedPaths.Unusable e) {
      throw new AppConfig.ConfigException(e.getMessage());
    } catch (IOException e) {
      if (!running.isEmpty()) {
        // not agreed: once the folder appears (a share mounted late) this node would keep its backups where the others do not look
        throw new IllegalStateException(("Cannot check that %s is the archive store of the nodes running (%s): %s. A node must share their"
            + " store before it joins them: mount it (or fix STORAGE_URL, the same on every node) and start this node again")
            .formatted(store.where(), String.join(", ", running), e.getMessage()));
      }
      // alone: an unusable store fails every backup saying why; refusing the start would hide that behind a second message
      log.warn("Could not check that {} is the archive store of the other nodes: {}", store.where(), e.getMessage());
      return;
    }
    Optional<String> id = settings.find(STORE_ID);
    if (id.isPresent() && mark.equals(id)) {
      return;
    }
    if (mark.isPresent() && id.isPresent()) {
      throw new IllegalStateException(("The archive store %s belongs to another Pi-hole Checkpoint cluster (its mark is not this database's):"
          + " two clusters in one store would prune each other's archives. Give this cluster a store of its own (STORAGE_URL or the"
          + " BACKUP_DIR mount)").formatted(store.where()));
    }
    if (id.isPresent() && !running.isEmpty()) {
      throw new IllegalStateException(("Archives would be kept in %s, which is not the store of the nodes running (%s): their backups would be"
          + " missing here and this node's missing there. Give every node the same STORAGE_URL (or mount the same folder as BACKUP_DIR"
          + " when there is none)").formatted(store.where(), String.join(", ", running)));
    }
    String agreed = mark.or(() -> id).orElseGet(() -> UUID.randomUUID().toString());
    try {
      if (mark.isEmpty()) {
        store.write(agreed);
      }
    } catch (IOException e) {
      log.warn("Could not mark {} as this cluster's archive store: {}; a node with another store is not detected", store.where(), e.getMessage());
      return;
    }
    if (id.isPresent()) {
      log.warn("The cluster's archives are now kept in {}: the archives it kept elsewhere are not moved", store.where());
    }
    settings.put(STORE_ID, agreed);
  }

  /**
   * Every node must sign sessions with one key, derived from APP_PASSWORD (or, without one, from SESSION_SECRET or the
   * secret kept in the database): a node with another one rejects the others' sign-ins (and they its), and a user
   * behind a load balancer is signed out at every switch, with nothing in any log. Checked once its key is known.
   *
   * @param digest the session key's {@link io.piholecheckpoint.core.access.Sessions#keyDigest digest}
   * @param password whether APP_PASSWORD (or APP_PASSWORD_FILE) is set on this node
   * @throws IllegalStateException when the nodes running sign sessions with another key
   */
  void requireSessions(String digest, boolean password, List<String> running) {
    String mine = (password ? "password:" : "open:") + digest;
    Optional<String> agreed = settings.find(SESSIONS);
    if (agreed.isPresent() && agreed.get().equals(mine)) {
      return;
    }
    if (agreed.isPresent() && !running.isEmpty()) {
      boolean theirs = agreed.get().startsWith("password:");
      String why = password == theirs
          ? (password ? "its APP_PASSWORD differs from theirs (or SESSION_SECRET does)" : "its SESSION_SECRET differs from theirs")
          : password ? "APP_PASSWORD is set here but not on them" : "APP_PASSWORD is set on them but not here, which would open this node to everyone";
      throw new IllegalStateException(("This node would not accept the sign-ins of the nodes running (%s), nor they its: %s. Give every node"
          + " the same APP_PASSWORD (or APP_PASSWORD_FILE) and SESSION_SECRET, or stop every node and start them all with the new one")
          .formatted(String.join(", ", running), why));
    }
    if (agreed.isPresent()) {
      log.info("The app password (or the session secret) changed for the whole cluster: every node must start with the new one");
    }
    settings.put(SESSIONS, mine);
  }

  private static String text(Duration spread) {
    return spread.isZero() ? "none" : spread.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
