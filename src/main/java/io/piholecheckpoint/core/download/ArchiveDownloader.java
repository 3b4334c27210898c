package io.piholecheckpoint.core.download;

import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeGateway;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.settings.InstanceRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fetches one Teleporter archive from a Pi-hole into the {@link ArchiveStore}, retrying transient failures. */
public class ArchiveDownloader {
  private static final Logger log = LoggerFactory.getLogger(ArchiveDownloader.class);

  /** A received, inspected archive not yet kept; close it to discard it. */
  public record Download(ArchiveStore.Incoming incoming, PiholeVersions versions, Integer seatsInUse) implements AutoCloseable {
    @Override
    public void close() {
      try {
        incoming.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete a discarded download", e);
      }
    }
  }

  /** The pauses between logins while the Pi-hole restarts: as the restart wait's looks, it is down for about a second. */
  private static final Duration RELOGIN_FIRST_PAUSE = Duration.ofMillis(200);
  private static final Duration RELOGIN_LONGEST_PAUSE = Duration.ofSeconds(1);

  private final PiholeGateway gateway;
  private final Credentials credentials;
  private final ArchiveStore archives;
  private final DownloadPolicy policy;
  private final Pause pause;
  private final Clock clock;

  /** @param clock times the tries of a download, which a failure after retries reports in all */
  public ArchiveDownloader(PiholeGateway gateway, Credentials credentials, ArchiveStore archives, DownloadPolicy policy, Pause pause,
                           Clock clock) {
    this.clock = clock;
    this.gateway = gateway;
    this.credentials = credentials;
    this.archives = archives;
    this.policy = policy;
    this.pause = pause;
  }

  public ArchiveStore archives() {
    return archives;
  }

  /** @param expectedBytes the size of the previous archive, for the free-space check */
  public Download download(PiholeInstance instance, Instant at, long expectedBytes, BackupProgress progress) {
    PiholeTarget target = target(instance);
    Instant start = clock.instant();
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(instance, target, at, expectedBytes, progress);
      } catch (PiholeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new PiholeException(PiholeException.Failure.CANCELLED, "the backup of Pi-hole '%s' was cancelled because Pi-hole Checkpoint is stopping; nothing was kept"
              .formatted(instance.name()), e);
        }
        if (!e.failure().transientFailure() || attempt > policy.retries()) {
          throw attempt == 1 ? e : afterTries(e, attempt, Duration.between(start, clock.instant()));
        }
        Duration wait = policy.backoff(attempt);
        log.warn("Backup of Pi-hole '{}', attempt {} of {}, failed: {}; trying again in {} s",
            instance.name(), attempt, policy.retries() + 1, e.getMessage(), wait.toSeconds());
        sleep(wait, instance);
      }
    }
  }

  /**
   * The last try's failure, saying that it was the last of several and how long they took in all: "did not answer within 5 s"
   * alone, after four tries and the waits between them, reads as a wait of 5 s where a person waited half a minute.
   */
  private static PiholeException afterTries(PiholeException last, int tries, Duration took) {
    return new PiholeException(last.failure(), last.getMessage() + " (the last of " + tries + " tries, " + Math.max(1, took.toSeconds())
        + " s in all with the waits between them; PIHOLE_RETRIES sets how often a failure is tried again)", last);
  }

  /** Cuts every download in progress off, at shutdown; see {@link PiholeGateway#cancelDownloads()}. */
  public void cancelDownloads() {
    gateway.cancelDownloads();
  }

  /** A reader of a file that may fail. */
  @FunctionalInterface
  public interface ArchiveFunction<T> {
    T apply(Path archive) throws IOException;
  }

  /** Reads what the Pi-hole holds now: a fresh export, discarded afterwards. */
  public <T> T withLiveExport(PiholeInstance instance, Instant at, ArchiveFunction<T> reader) {
    try (Download live = download(instance, at, 0, BackupProgress.NONE)) {
      return reader.apply(live.incoming().path());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the live export of '" + instance.name() + "'", e);
    }
  }

  /**
   * Reads what the Pi-hole holds now through a session already open (no login of its own, no
   * retry): a fresh export, discarded afterwards.
   */
  public <T> T withLiveExport(PiholeSession session, PiholeInstance instance, Instant at, ArchiveFunction<T> reader) {
    try (Download live = new Download(export(session, instance, at, 0, BackupProgress.NONE), PiholeVersions.UNKNOWN, null)) {
      return reader.apply(live.incoming().path());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the live export of '" + instance.name() + "'", e);
    }
  }

  /** A logged-in session with the instance's Pi-hole, for writing to it; close it to log out. */
  public PiholeSession openSession(PiholeInstance instance) {
    return gateway.open(target(instance));
  }

  /** What a connection test found. */
  public record Check(PiholeVersions versions, Integer seatsInUse, String authentication, TlsTrust.Mode tls) {
  }

  /**
   * A session as {@link #openSession} opens it, for a login while the Pi-hole restarts: a refused or dropped connection (it is
   * down) is tried again after a pause, as long as the next try starts within {@code limit}; then the last failure is thrown.
   */
  public PiholeSession openSessionWithin(PiholeInstance instance, Duration limit) {
    PiholeTarget target = target(instance);
    Instant deadline = clock.instant().plus(limit);
    Duration paused = Duration.ZERO;
    Duration next = RELOGIN_FIRST_PAUSE;
    while (true) {
      try {
        return gateway.open(target);
      } catch (PiholeException e) {
        // bounded by the clock and by the pauses themselves: a clock that stands still must not make it endless
        if (!e.failure().transientFailure() || clock.instant().plus(next).isAfter(deadline) || paused.plus(next).compareTo(limit) > 0) {
          throw e;
        }
        log.debug("Logging in to Pi-hole '{}' while it restarts failed: {}; trying again in {} ms", instance.name(), e.getMessage(), next.toMillis());
        sleep(next, instance);
        paused = paused.plus(next);
        next = next.multipliedBy(2).compareTo(RELOGIN_LONGEST_PAUSE) > 0 ? RELOGIN_LONGEST_PAUSE : next.multipliedBy(2);
      }
    }
  }

  /** Logs in and out once, reading the versions: proves the settings work. */
  Check check(PiholeInstance instance) {
    PiholeTarget target = target(instance);
    try (PiholeSession session = gateway.open(target)) {
      return new Check(session.versions(), session.seatsInUse(), session.authentication(), target.tls().mode());
    }
  }

  private Download attempt(PiholeInstance instance, PiholeTarget target, Instant at, long expectedBytes, BackupProgress progress) {
    if (expectedBytes > 0) { // before the login: the two are reported as one
      progress.expecting(expectedBytes);
    }
    progress.loggingIn();
    try (PiholeSession session = gateway.open(target)) {
      // the versions and the session list (see PiholeSession#seatsInUse) arrive while the archive streams in
      LogOutAtLastByte rest = new LogOutAtLastByte(session, session.versionsLater(), progress);
      ArchiveStore.Incoming incoming = export(session, instance, at, expectedBytes, rest);
      return new Download(incoming, rest.versions(), session.seatsInUse());
    }
  }

  /**
   * Passes the progress on, and at the archive's last byte, once the session's other answers are in, sends the logout:
   * its round trip then overlaps the archive's fsync and inspection, which need no session, instead of following them.
   * The session is asked nothing after that; the logout's answer is awaited when it is closed, as before.
   */
  private static final class LogOutAtLastByte implements BackupProgress {
    private final PiholeSession session;
    private final java.util.function.Supplier<PiholeVersions> versionsLater;
    private final BackupProgress progress;
    private PiholeVersions versions;

    LogOutAtLastByte(PiholeSession session, java.util.function.Supplier<PiholeVersions> versionsLater, BackupProgress progress) {
      this.session = session;
      this.versionsLater = versionsLater;
      this.progress = progress;
    }

    @Override
    public void loggingIn() {
      progress.loggingIn();
    }

    @Override
    public void expecting(long totalBytes) {
      progress.expecting(totalBytes);
    }

    @Override
    public void downloading(long bytesSoFar) {
      progress.downloading(bytesSoFar);
    }

    @Override
    public void verifying() {
      if (versions == null) {
        versions = versionsLater.get();
        session.closeSoon(); // gives our stale seats back first, as a logout always does
      }
      progress.verifying();
    }

    PiholeVersions versions() {
      return versions != null ? versions : versionsLater.get();
    }
  }

  private ArchiveStore.Incoming export(PiholeSession session, PiholeInstance instance, Instant at, long expectedBytes, BackupProgress progress) {
    try {
      return session.exportTeleporter(in -> archives.receive(instance.slug(), at, new ProgressStream(in, progress), expectedBytes));
    } catch (InvalidArchiveException e) {
      throw new PiholeException(PiholeException.Failure.NOT_AN_ARCHIVE,
          "Pi-hole '%s' did not send a valid Teleporter archive: %s — check that %s is the Pi-hole v6 web interface"
              .formatted(instance.name(), e.getMessage(), instance.url()), e);
    }
  }

  /** Every contact with a Pi-hole starts here: a URL the rules refuse (an old row, say) is never requested. */
  private PiholeTarget target(PiholeInstance instance) {
    InstanceRules.url(instance.url()).ifPresent(problem -> {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, "Pi-hole '%s' is not contacted: its URL is refused (%s)"
          .formatted(instance.name(), problem));
    });
    if (!ArchiveFiles.isFolder(instance.slug())) {
      // its archive would be named from it: refused before the Pi-hole is asked, as the store would refuse it after
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, ("Pi-hole '%s' is not contacted: its folder ('%s') is not one"
          + " Checkpoint makes (lowercase letters, digits and dashes) — put its folder back into the instance table's slug column")
          .formatted(instance.name(), instance.slug()));
    }
    InstanceRules.tls(instance.tls()).ifPresent(problem -> {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, "Pi-hole '%s' is not contacted: its TLS settings are incomplete (%s) — edit the instance to fix them"
          .formatted(instance.name(), problem));
    });
    instance.tls().overHttp(instance.url()).ifPresent(problem -> {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, "Pi-hole '%s' is not contacted: %s".formatted(instance.name(), problem));
    });
    Duration timeout = instance.timeoutSeconds() == null ? policy.timeout() : Duration.ofSeconds(instance.timeoutSeconds());
    try {
      return new PiholeTarget(instance.name(), instance.url(), instance.settingsPrefix(), credentials.passwordFor(instance),
          credentials.totpSecretFor(instance), instance.tls(), timeout, readFromFiles(instance));
    } catch (SecretBox.SecretUnavailableException e) {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, "Pi-hole '%s' is not contacted: %s".formatted(instance.name(), e.getMessage()), e);
    }
  }

  /** The secrets of the instance whose variable in use is their {@code _FILE} one, for the messages of its refusals. */
  private java.util.Set<String> readFromFiles(PiholeInstance instance) {
    return java.util.stream.Stream.of("PASSWORD", "TOTP_SECRET").filter(field -> {
      String variable = credentials.variableOf(instance, field);
      return variable != null && variable.endsWith(field + "_FILE");
    }).collect(java.util.stream.Collectors.toSet());
  }

  /** The variable this instance's secret ({@code "PASSWORD"}, {@code "TOTP_SECRET"}) is read from, for advice; null for one made here. */
  public String secretVariable(PiholeInstance instance, String field) {
    return credentials.variableOf(instance, field);
  }

  /** Whether a 2FA secret is configured for the instance now; one that cannot be read is configured, if broken. */
  public boolean hasTotpSecret(PiholeInstance instance) {
    try {
      return credentials.totpSecretFor(instance).isPresent();
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void sleep(Duration wait, PiholeInstance instance) {
    try {
      pause.pause(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PiholeException(PiholeException.Failure.CANCELLED, "the backup of Pi-hole '%s' was cancelled while waiting to retry, because Pi-hole Checkpoint is stopping"
          .formatted(instance.name()));
    }
  }
}
