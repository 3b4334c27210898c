package io.piholecheckpoint.core.archive;

import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.io.IOException;
import java.nio.file.Path;

/** Looks inside a Teleporter archive: proves it complete and sound, and says what it holds. */
public interface ArchiveInspector {

  /**
   * @param contentHash equal for archives of an unchanged Pi-hole, whatever their entry dates
   * @param hasLists whether the archive holds a gravity.db (the groups, adlists, domains and clients)
   * @param versions what the archive itself says of the Pi-hole that made it (an uploaded or adopted archive has
   *     nothing else to tell); a part it does not say is null
   */
  record Inspection(String contentHash, ContentSummary summary, boolean hasLists, PiholeVersions versions) {
  }

  /**
   * @throws InvalidArchiveException when the file is not a complete, sound Pi-hole v6
   *     Teleporter archive; the message says what is wrong
   */
  Inspection inspect(Path archive) throws IOException;

  /**
   * Proves an archive sound as {@link #inspect} does, for bytes whose SHA-256 equals the one recorded when they were stored
   * and inspected: their content hash is a function of those bytes, so it is not computed again (for a million domains,
   * a canonical dump of every row). What a restore needs of them is still proven by today's inspector.
   *
   * @throws InvalidArchiveException as {@link #inspect} does
   */
  default void check(Path archive) throws IOException {
    inspect(archive);
  }
}
