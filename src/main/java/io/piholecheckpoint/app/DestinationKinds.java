package io.piholecheckpoint.app;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.offsite.s3.S3Destination;
import io.piholecheckpoint.offsite.sftp.SftpDestination;
import io.piholecheckpoint.offsite.webdav.WebDavDestination;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The adapter of a destination, chosen by its URL's scheme. Each kind is named in its own case
 * only: the JVM loads an adapter's classes (and its client library) when its case first runs, so
 * nothing of a kind nobody configured is loaded, and start time and memory stay as they were.
 */
final class DestinationKinds {
  private DestinationKinds() {
  }

  /**
   * @throws IllegalArgumentException naming the variable, when the kind is unknown or its options are wrong
   * @param homes where an SFTP destination's {@code /~/} path tells the home it learns at its connections
   * @param ownFolders DATA_DIR and BACKUP_DIR, which a file:// destination checks it is not in (or around) at each call
   */
  static Destination open(DestinationConfig config, SftpHomes homes, List<Path> ownFolders) {
    String scheme = config.url().getScheme() == null ? "" : config.url().getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> new FileDestination(config, ownFolders);
      case "s3" -> new S3Destination(config);
      case "sftp" -> new SftpDestination(config, home -> homes.learned(config, home));
      case "webdav+http", "webdav+https" -> new WebDavDestination(config);
      default -> throw new IllegalArgumentException(config.variable("URL")
          + " must start with file://, s3://, sftp://, webdav+http:// or webdav+https:// (the kind of destination)");
    };
  }
}
