package io.piholecheckpoint.core.contents;

import java.io.IOException;
import java.nio.file.Path;

/** Reads what a Teleporter archive holds. */
public interface ContentsReader {

  /** @throws io.piholecheckpoint.core.backup.InvalidArchiveException when it is not a sound archive */
  ArchiveContents read(Path archive) throws IOException;
}
