package io.piholecheckpoint.core.restore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/** Restores in the background, one at a time, each recorded from start to verification. */
public class RestoreService {
  private final RestoreRunner runner;
  private final RestoreRepository restores;
  private final Executor executor;

  public RestoreService(RestoreRunner runner, RestoreRepository restores, Executor executor) {
    this.runner = runner;
    this.restores = restores;
    this.executor = executor;
  }

  /** What the restore would change on the target now; changes nothing. */
  public RestorePreview preview(long backupId, long targetId, RestoreMode mode, RestoreParts custom) {
    return runner.preview(backupId, targetId, RestoreParts.of(mode, custom));
  }

  /**
   * Starts a restore and returns its record at once; follow it with {@link #find}.
   *
   * @throws IllegalArgumentException when a custom restore selects nothing
   */
  public Restore start(long backupId, long targetId, RestoreMode mode, RestoreParts custom) {
    RestoreParts parts = RestoreParts.of(mode, custom);
    if (!parts.any()) {
      throw new IllegalArgumentException("a custom restore needs at least one part: lists, localDns, settings or identity");
    }
    Restore restore = runner.begin(backupId, targetId, mode);
    executor.execute(() -> runner.run(restore, parts));
    return restore;
  }

  public Optional<Restore> find(long id) {
    return restores.findById(id);
  }

  public List<Restore> history(long targetId) {
    return restores.findByTarget(targetId, 50);
  }
}
