package io.piholecheckpoint.web;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database reads kept until something is committed since (by this process or another), by key.
 * Re-reading the same rows on every request was a third of the dashboard's cost under load and
 * most of an instance page's; what changes with the clock or with running jobs is applied afresh
 * to each page. At most {@code capacity} keys are kept per commit; others are read every time.
 *
 * <p>Requests that miss the same key at once wait for one read: with eight at a time after each
 * commit (every few hundred milliseconds while backups run), each read the same thousand rows.
 */
public final class CommittedReads<K, V> {
  private static final Logger log = LoggerFactory.getLogger(CommittedReads.class);

  private record Generation<K, V>(long version, Map<K, CompletableFuture<V>> values) {
  }

  private final Function<K, V> read;
  private final LongSupplier dataVersion;
  private final int capacity;
  private final AtomicReference<Generation<K, V>> current = new AtomicReference<>(new Generation<>(Long.MIN_VALUE, Map.of()));

  /** @param dataVersion grows whenever anything is committed to the database */
  public CommittedReads(Function<K, V> read, LongSupplier dataVersion, int capacity) {
    this.read = read;
    this.dataVersion = dataVersion;
    this.capacity = capacity;
  }

  public V get(K key) {
    // the version is read before the rows: a commit in between makes the next request read again
    long version;
    try {
      version = dataVersion.getAsLong();
    } catch (RuntimeException e) {
      // without a version nothing kept can be trusted; the rows themselves may still be readable
      log.warn("Reading the page's rows afresh, not from what was kept: {}", e.getMessage());
      return read.apply(key);
    }
    Generation<K, V> generation = generationOf(version);
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> kept = generation.values().size() < capacity ? generation.values().putIfAbsent(key, mine) : generation.values().get(key);
    if (kept != null) {
      return await(kept);
    }
    try {
      V value = read.apply(key);
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      // those waiting on this read fail with it; the next request reads again
      generation.values().remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Rows kept under a newer version than this request's were read after it, so they serve it too:
   * a request that read its version just before another's must not throw the newer rows away.
   */
  private Generation<K, V> generationOf(long version) {
    while (true) {
      Generation<K, V> generation = current.get();
      if (generation.version() >= version) {
        return generation;
      }
      Generation<K, V> fresh = new Generation<>(version, new ConcurrentHashMap<>());
      if (current.compareAndSet(generation, fresh)) {
        return fresh;
      }
    }
  }

  private static <V> V await(CompletableFuture<V> value) {
    try {
      return value.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }
}
