package io.piholecheckpoint.core.recovery.copies;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Checks of many copies at their destinations, side by side but at most {@link #MAX_AT_ONCE} at a time: one slow
 * destination does not make the others wait behind it, and an archive with copies at many destinations opens no more
 * connections at once than that. The threads live for the one call; a single check runs in the caller's thread.
 */
final class BoundedChecks {
  /** At most this many checks run at once, whatever the number of copies. */
  static final int MAX_AT_ONCE = 8;

  private BoundedChecks() {
  }

  /** The results of {@code check} on each item, in the items' order. */
  static <T, R> List<R> run(List<T> items, Function<T, R> check) {
    return run(items, check, MAX_AT_ONCE, r -> {
      Thread t = new Thread(r, "copy-check");
      t.setDaemon(true);
      return t;
    });
  }

  static <T, R> List<R> run(List<T> items, Function<T, R> check, int maxAtOnce, ThreadFactory threads) {
    if (items.size() <= 1) {
      return items.stream().map(check).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(maxAtOnce, items.size()), threads);
    try {
      List<Future<R>> started = new ArrayList<>();
      items.forEach(item -> started.add(pool.submit(() -> check.apply(item))));
      List<R> results = new ArrayList<>();
      for (Future<R> result : started) {
        results.add(result.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: the checks under way are interrupted below
      throw new ArchiveStorageException("the check of the off-site copies was interrupted: Pi-hole Checkpoint is stopping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
