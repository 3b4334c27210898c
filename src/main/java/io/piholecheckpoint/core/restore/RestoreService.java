package io.piholecheckpoint.core.restore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/** Restores in the background, one at a time, each recorded from start to verification. */
public class RestoreService {
  public static final String NOTHING_CHOSEN = "a custom restore needs at least one part: lists, localDns, settings or identity";
  private final RestoreRunner runner;
  private final RestoreRepository restores;
  private final Executor executor;

  public RestoreService(RestoreRunner runner, RestoreRepository restores, Executor executor) {
    this.runner = runner;
    this.restores = restores;
    this.executor = executor;
  }

  /**
   * What the restore would change on the target now; changes nothing.
   *
   * @throws IllegalArgumentException when a custom restore selects nothing, as {@link #start} would
   */
  public RestorePreview preview(long backupId, long targetId, RestoreMode mode, RestoreParts custom) {
    RestoreParts parts = RestoreParts.of(mode, custom);
    if (!parts.any()) {
      throw new IllegalArgumentException(NOTHING_CHOSEN);
    }
    return runner.preview(backupId, targetId, parts);
  }

  /**
   * Starts a restore and returns its record at once; follow it with {@link #find}.
   *
   * @throws IllegalArgumentException when a custom restore selects nothing
   */
  public Restore start(long backupId, long targetId, RestoreMode mode, RestoreParts custom) {
    RestoreParts parts = RestoreParts.of(mode, custom);
    if (!parts.any()) {
      throw new IllegalArgumentException(NOTHING_CHOSEN);
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
