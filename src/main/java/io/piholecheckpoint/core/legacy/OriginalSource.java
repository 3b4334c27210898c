package io.piholecheckpoint.core.legacy;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The database of Pi-hole Checkpoint 1.x ({@code db.sqlite3}), read so that not a byte of it, nor
 * a journal beside it, is written, and as 1.x would see it: a transaction it left half-written
 * rolled back, what its -wal holds applied.
 */
public interface OriginalSource extends AutoCloseable {

  /** Opens one; {@link OriginalSchemaException} when it is not a database of the original's shape. */
  @FunctionalInterface
  interface Opener {
    OriginalSource open(Path file);
  }

  /** The instances, in id order, at most {@code limit}. */
  List<OriginalInstance> instances(int limit);

  /** How many backup records have an id of {@code fromId} or above. */
  long countRecords(long fromId);

  /** Streams the backup records with an id of {@code fromId} or above, in id order: never all of them in memory. */
  void records(long fromId, Consumer<OriginalRecord> each);

  @Override
  void close();
}
