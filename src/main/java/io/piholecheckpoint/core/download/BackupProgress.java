package io.piholecheckpoint.core.download;

/** Hears how a running backup gets on; used to show progress while it runs. */
public interface BackupProgress {
  BackupProgress NONE = new BackupProgress() {
  };

  default void loggingIn() {
  }

  default void downloading(long bytesSoFar) {
  }

  default void verifying() {
  }
}
