package io.piholecheckpoint.storage;

/**
 * What must hold before an archive is written into a folder. Nothing, for a node's own BACKUP_DIR; for a BACKUP_DIR the
 * nodes of a cluster share, that it still is their share (it carries the cluster's mark): a share mounted late, gone or
 * emptied is a folder the other nodes do not read, and an archive kept there is lost to them.
 */
@FunctionalInterface
public interface WriteCheck {
  WriteCheck NONE = () -> { };

  /** @throws io.piholecheckpoint.core.archive.ArchiveStorageException saying why nothing may be written now, and what to do */
  void beforeWrite();
}
