package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.archive.ArchiveWork;

/**
 * Says in a running restore's record what it does now ("taking the safety backup of 'Home'"), and while its archive work
 * waits for a turn, that it waits and behind what: a restore of a large archive runs for minutes, first behind the backups
 * running, and "started" said nothing of either.
 */
final class RestoreSteps implements ArchiveWork.Waits {
  private final RestoreRepository restores;
  private final RestoreOutcome.Progress progress;

  RestoreSteps(RestoreRepository restores, RestoreOutcome.Progress progress) {
    this.restores = restores;
    this.progress = progress;
  }

  /** The restore now does {@code what}. */
  void now(String what) {
    progress.step = what;
    say(what);
  }

  @Override
  public void waiting() {
    say(progress.step + ": waiting for its turn, as other archive work (backups' checks, previews, diffs) takes every turn (ARCHIVE_PARALLEL)");
  }

  @Override
  public void turnCame() {
    say(progress.step);
  }

  private void say(String message) {
    restores.update(progress.record = progress.record.running(message));
  }
}
