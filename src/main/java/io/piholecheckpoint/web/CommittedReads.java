package io.piholecheckpoint.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database reads kept until something is committed since (by this process or another), by key.
 * Re-reading the same rows on every request was a third of the dashboard's cost under load and
 * most of an instance page's; what changes with the clock or with running jobs is applied afresh
 * to each page. At most {@code capacity} keys are kept per commit; others are read every time.
 */
public final class CommittedReads<K, V> {
  private static final Logger log = LoggerFactory.getLogger(CommittedReads.class);

  private record Generation<K, V>(long version, Map<K, V> values) {
  }

  private final Function<K, V> read;
  private final LongSupplier dataVersion;
  private final int capacity;
  private volatile Generation<K, V> current = new Generation<>(Long.MIN_VALUE, Map.of());

  /** @param dataVersion changes whenever anything is committed to the database */
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
    Generation<K, V> generation = current;
    if (generation.version() != version) {
      generation = new Generation<>(version, new ConcurrentHashMap<>());
      current = generation;
    }
    V value = generation.values().get(key);
    if (value == null) {
      value = read.apply(key);
      if (generation.values().size() < capacity) {
        generation.values().put(key, value);
      }
    }
    return value;
  }
}
