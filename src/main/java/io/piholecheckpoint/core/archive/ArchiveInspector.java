package io.piholecheckpoint.core.archive;

import java.io.IOException;
import java.nio.file.Path;

/** Looks inside a Teleporter archive: proves it complete and sound, and says what it holds. */
public interface ArchiveInspector {

  /**
   * @param contentHash equal for archives of an unchanged Pi-hole, whatever their entry dates
   * @param hasLists whether the archive holds a gravity.db (the groups, adlists, domains and clients)
   */
  record Inspection(String contentHash, ContentSummary summary, boolean hasLists) {
    public Inspection(String contentHash, ContentSummary summary) {
      this(contentHash, summary, true);
    }
  }

  /**
   * @throws InvalidArchiveException when the file is not a complete, sound Pi-hole v6
   *     Teleporter archive; the message says what is wrong
   */
  Inspection inspect(Path archive) throws IOException;
}
