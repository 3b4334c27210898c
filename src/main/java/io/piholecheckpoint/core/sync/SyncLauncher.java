package io.piholecheckpoint.core.sync;

/** Starts a group's sync on the scheduler's thread, after any run of it in progress (Quartz implements it). */
public interface SyncLauncher {
  void launch(String groupId);
}
