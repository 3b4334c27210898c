package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.instance.Credentials;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Instant;

/** Fetches one Teleporter archive from a Pi-hole into the {@link ArchiveStore}. */
public class ArchiveDownloader {

  /** A stored archive and the FTL version that exported it. */
  public record Download(StoredArchive archive, String piholeVersion) {
  }

  private final PiholeGateway gateway;
  private final Credentials credentials;
  private final ArchiveStore archives;

  public ArchiveDownloader(PiholeGateway gateway, Credentials credentials, ArchiveStore archives) {
    this.gateway = gateway;
    this.credentials = credentials;
    this.archives = archives;
  }

  ArchiveStore archives() {
    return archives;
  }

  Download download(PiholeInstance instance, Instant at) {
    PiholeTarget target = new PiholeTarget(instance.name(), instance.url(), instance.verifyTls(), credentials.passwordFor(instance));
    try (PiholeSession session = gateway.open(target)) {
      String version = session.version();
      StoredArchive archive = session.exportTeleporter(in -> archives.store(instance.slug(), at, in));
      return new Download(archive, version);
    } catch (InvalidArchiveException e) {
      throw new PiholeException(PiholeException.Failure.NOT_AN_ARCHIVE,
          "Pi-hole '%s' did not send a valid Teleporter archive: %s — check that %s is the Pi-hole v6 web interface"
              .formatted(instance.name(), e.getMessage(), instance.url()), e);
    }
  }
}
