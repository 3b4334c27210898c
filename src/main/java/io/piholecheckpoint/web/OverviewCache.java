package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.BackupService.InstanceHistory;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The dashboard's overview, read from the database again only once something was committed
 * since the last read (by this process or another). Re-reading the same rows on every request
 * was a third of the dashboard's cost under load; what changes with the clock or with running
 * jobs is applied afresh to each page.
 */
final class OverviewCache {
  private record Entry(long version, List<InstanceHistory> overview) {
  }

  private final Supplier<List<InstanceHistory>> read;
  private final LongSupplier dataVersion;
  private volatile Entry last;

  OverviewCache(Supplier<List<InstanceHistory>> read, LongSupplier dataVersion) {
    this.read = read;
    this.dataVersion = dataVersion;
  }

  List<InstanceHistory> get() {
    // the version is read before the rows: a commit in between makes the next request read again
    long version = dataVersion.getAsLong();
    Entry entry = last;
    if (entry != null && entry.version() == version) {
      return entry.overview();
    }
    List<InstanceHistory> overview = read.get();
    last = new Entry(version, overview);
    return overview;
  }
}
