package io.piholecheckpoint.core.download;

/** Hears how a running backup gets on; used to show progress while it runs. */
public interface BackupProgress {
  BackupProgress NONE = new BackupProgress() {
  };

  default void loggingIn() {
  }

  /** @param totalBytes about how many bytes the archive will have: the size of the previous one */
  default void expecting(long totalBytes) {
  }

  default void downloading(long bytesSoFar) {
  }

  default void verifying() {
  }
}
