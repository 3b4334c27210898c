package io.piholecheckpoint.app;

import io.piholecheckpoint.core.offsite.Destination;
import io.piholecheckpoint.core.offsite.DestinationConfig;
import io.piholecheckpoint.offsite.file.FileDestination;
import java.util.Locale;
import java.util.Map;

/**
 * The adapter of a destination, chosen by its URL's scheme. Each kind is named in its own case
 * only: the JVM loads an adapter's classes (and its client library) when its case first runs, so
 * nothing of a kind nobody configured is loaded, and start time and memory stay as they were.
 */
final class DestinationKinds {
  /** Kinds the settings know whose adapters are not in this build yet: refused like a bad setting, with what to do. */
  private static final Map<String, String> ARRIVING = Map.of(
      "s3", "S3 (s3://bucket/prefix)",
      "sftp", "SFTP (sftp://user@host:port/path)",
      "webdav+http", "WebDAV (webdav+http://host/path)",
      "webdav+https", "WebDAV (webdav+https://host/path)");

  private DestinationKinds() {
  }

  /** @throws IllegalArgumentException naming the variable, when the kind is unknown or its options are wrong */
  static Destination open(DestinationConfig config) {
    String scheme = config.url().getScheme() == null ? "" : config.url().getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> new FileDestination(config);
      default -> throw new IllegalArgumentException(ARRIVING.containsKey(scheme)
          ? config.variable("URL") + ": " + ARRIVING.get(scheme) + " destinations are not in this version yet; use a file:// destination "
              + "(a mounted disk or share) for now"
          : config.variable("URL") + " must start with file://, s3://, sftp://, webdav+http:// or webdav+https:// (the kind of destination)");
    };
  }
}
