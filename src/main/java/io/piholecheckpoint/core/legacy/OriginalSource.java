package io.piholecheckpoint.core.legacy;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The database of Pi-hole Checkpoint 1.x ({@code db.sqlite3}), opened so that it is only read:
 * not a byte of it, nor a journal beside it, is written.
 */
public interface OriginalSource extends AutoCloseable {

  /** Opens one; {@link OriginalSchemaException} when it is not a database of the original's shape. */
  @FunctionalInterface
  interface Opener {
    OriginalSource open(Path file);
  }

  /** The instances, in id order, at most {@code limit}. */
  List<OriginalInstance> instances(int limit);

  /** How many backup records have an id above {@code afterId}. */
  long countRecords(long afterId);

  /** Streams the backup records with an id above {@code afterId}, in id order: never all of them in memory. */
  void records(long afterId, Consumer<OriginalRecord> each);

  @Override
  void close();
}
