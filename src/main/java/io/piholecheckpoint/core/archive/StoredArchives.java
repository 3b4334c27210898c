package io.piholecheckpoint.core.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes in an archive already in the store that has no record yet — one of ours that lost it, or
 * one of Pi-hole Checkpoint 1.x's whose history is imported: hashed and inspected as a download is.
 */
public final class StoredArchives {
  private StoredArchives() {
  }

  /** What the file is: the archive to record (no change summary) and what its inspection found. */
  public record Examined(Archive archive, ArchiveInspector.Inspection inspection) {
  }

  /**
   * @throws InvalidArchiveException when it is not a sound Teleporter archive
   * @throws BackupNotFoundException when the file is not there
   */
  public static Examined examine(ArchiveStore store, String fileName) throws IOException {
    try (ArchiveStore.PlainArchive plain = store.open(fileName)) {
      Path file = plain.path();
      ArchiveInspector.Inspection inspection = store.inspector().inspect(file);
      Archive archive = new Archive(fileName, Files.size(file), ArchiveFiles.sha256Of(file), inspection.contentHash(), inspection.versions(),
          inspection.summary(), null);
      return new Examined(archive, inspection);
    }
  }
}
