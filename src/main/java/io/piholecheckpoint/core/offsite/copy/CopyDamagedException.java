package io.piholecheckpoint.core.offsite.copy;

import io.piholecheckpoint.core.archive.ArchiveStorageException;

/**
 * A backup's archive is not on this disk and its off-site copies failed verification (changed or
 * gone at the destination): nothing can be read from them. Not a failure that passes, nor a
 * missing backup; worded by {@link DamagedCopies}, the one place that decides it.
 */
public final class CopyDamagedException extends ArchiveStorageException {
  private static final long serialVersionUID = 1L;

  CopyDamagedException(String message) {
    super(message);
  }
}
