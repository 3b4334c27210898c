package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the history of Pi-hole Checkpoint 1.x over: its instances (matched to ours by
 * environment prefix, else by name, created when missing) and every backup record, each archive
 * found by its file name in the backup directory, verified against the SHA-256 the original
 * recorded and inspected like any archive. Files stay where and as they are.
 *
 * <p>Bounded in memory and restartable: records are streamed in id order and written in batches,
 * each with the ids it covers in one transaction; a run cut short is completed by the next one,
 * nothing twice. The original's database is only read.
 */
public class OriginalImportService {
  /** The original's database in its data directory. */
  public static final String FILE_NAME = "db.sqlite3";
  static final int BATCH = 500;
  /** More instances than any installation has: a hostile table is not read whole. */
  static final int MAX_INSTANCES = 1_000;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(OriginalImportService.class);

  private final OriginalSource.Opener sources;
  private final ImportLedger ledger;
  private final InstanceRepository instances;
  private final BackupRepository backups;
  private final ArchiveStore archives;
  private final Clock clock;
  /** The log's times, with their offset. */
  private final LocalTimeText times;

  public OriginalImportService(OriginalSource.Opener sources, ImportLedger ledger, InstanceRepository instances, BackupRepository backups,
                               ArchiveStore archives, Clock clock, LocalTimeText times) {
    this.times = times.inLog();
    this.sources = sources;
    this.ledger = ledger;
    this.instances = instances;
    this.backups = backups;
    this.archives = archives;
    this.clock = clock;
  }

  /** Whether {@code dataDir} holds the original's database, imported or not: one file check, nothing built. */
  public static boolean presentIn(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve(FILE_NAME));
  }

  /** Imports {@code dataDir/db.sqlite3} if it is there and was not imported yet; costs one file check and one query otherwise. */
  public Optional<ImportLedger.Summary> importIfPending(Path dataDir) {
    if (!presentIn(dataDir) || ledger.finished()) {
      return Optional.empty();
    }
    return Optional.of(importFrom(dataDir.resolve(FILE_NAME)));
  }

  /**
   * Imports the original's database {@code file} unless an import finished already; completes one cut short.
   * Only an import that read it to the end is recorded as done.
   *
   * @throws OriginalSchemaException when it cannot be read (to the end): what was read is kept, and the next run goes on
   */
  public ImportLedger.Summary importFrom(Path file) {
    Optional<ImportLedger.Summary> done = ledger.find().filter(ImportLedger.Summary::finished);
    if (done.isPresent()) {
      log.info("The history of Pi-hole Checkpoint 1.x was imported from {} at {}; nothing more to import", done.get().source(), times.of(done.get().finishedAt()));
      return done.get();
    }
    OriginalSource source;
    try {
      source = sources.open(file);
    } catch (OriginalSchemaException e) {
      throw new OriginalSchemaException("nothing imported from %s: %s".formatted(file, e.getMessage()), e);
    }
    try (source) {
      ledger.start(file.toAbsolutePath().toString(), clock.instant());
      Map<Long, Owner> owners = owners(source.instances(MAX_INSTANCES + 1));
      copyRecords(source, owners);
    } catch (OriginalSchemaException e) {
      throw new OriginalSchemaException("its database %s stopped being readable (%s); what was read before is imported".formatted(file, e.getMessage()), e);
    }
    ImportLedger.Summary summary = ledger.finish(clock.instant(), null);
    log.info("{}{}", describe(summary), summary.skipped() == 0 ? ""
        : String.format(Locale.ENGLISH, " (%,d %s skipped, each named above: %s)", summary.skipped(), summary.skipped() == 1 ? "record" : "records",
            describeSkipped(ledger.skippedByReason())));
    return summary;
  }

  /** {@link #describe} and, when some were skipped, how many and why, grouped: the line Settings shows. */
  public static String describe(ImportLedger.Summary summary, Map<SkipReason, Long> skipped) {
    return summary.skipped() == 0 ? describe(summary)
        : String.format(Locale.ENGLISH, "%s; %,d %s skipped: %s", describe(summary), summary.skipped(), summary.skipped() == 1 ? "record" : "records",
            describeSkipped(skipped));
  }

  /** "12 with no readable created_at, 1 with …": the skipped records grouped by reason, as the log and Settings say it. */
  public static String describeSkipped(Map<SkipReason, Long> skipped) {
    return skipped.entrySet().stream().map(e -> String.format(Locale.ENGLISH, "%,d with %s", e.getValue(), e.getKey().text()))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** "imported 1,810 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x", as the log and the Settings page say it. */
  public static String describe(ImportLedger.Summary summary) {
    String imported = String.format(Locale.ENGLISH, "imported %,d %s of %,d %s from Pi-hole Checkpoint 1.x", summary.records(),
        summary.records() == 1 ? "backup" : "backups", summary.instances(), summary.instances() == 1 ? "Pi-hole" : "Pi-holes");
    return summary.note() == null ? imported : imported + "; " + summary.note();
  }

  /** An instance of ours the original's records go to, and its newest good archive so far (what the suspicion rule compares with). */
  static final class Owner {
    final long id;
    Backup lastGood;

    Owner(long id, Backup lastGood) {
      this.id = id;
      this.lastGood = lastGood;
    }
  }

  private Map<Long, Owner> owners(List<OriginalInstance> rows) {
    if (rows.size() > MAX_INSTANCES) {
      log.warn("Pi-hole Checkpoint 1.x: its database lists more than {} Pi-holes; those after the first {} (by id) are not imported, nor"
          + " their backup records (each named below)", MAX_INSTANCES, MAX_INSTANCES);
    }
    OriginalOwners matcher = new OriginalOwners(instances, ledger);
    Map<Long, Owner> owners = new HashMap<>();
    for (OriginalInstance row : rows.subList(0, Math.min(rows.size(), MAX_INSTANCES))) {
      long id;
      try {
        id = matcher.ownerOf(row);
      } catch (IllegalArgumentException | IllegalStateException e) {
        log.warn("Pi-hole Checkpoint 1.x: Pi-hole {} ({}) could not be carried over ({}); its backup records are skipped", row.id(),
            OriginalRecords.quote(row.name()), e.getMessage());
        continue;
      }
      Backup lastGood = backups.findSuccessful(id).stream().filter(b -> !b.suspicious() && !b.fileMissing() && b.verifyError() == null)
          .findFirst().orElse(null);
      owners.put(row.id(), new Owner(id, lastGood));
    }
    return owners;
  }

  private void copyRecords(OriginalSource source, Map<Long, Owner> owners) {
    OptionalLong last = ledger.lastRecordId();
    if (last.isPresent() && last.getAsLong() == Long.MAX_VALUE) {
      return; // the highest id there is was looked at: nothing can follow
    }
    long from = last.isPresent() ? last.getAsLong() + 1 : Long.MIN_VALUE;
    long total = source.countRecords(from);
    if (total > 0) {
      log.info("Importing {} backup records of Pi-hole Checkpoint 1.x{}", String.format(Locale.ENGLISH, "%,d", total),
          last.isPresent() ? " (the rest of an import cut short)" : "");
    }
    Batch batch = new Batch(total);
    OriginalArchives reader = new OriginalArchives(archives, ledger, batch.names);
    try {
      source.records(from, record -> {
        Owner owner = ownerOf(record, owners);
        ImportLedger.Entry entry = owner == null ? ImportLedger.Entry.skipped(record.id(), SkipReason.NO_PIHOLE)
            : reader.entryOf(record, owner, batch::flush);
        batch.add(entry, entry.backup() != null && owner.lastGood == entry.backup() ? owner : null);
      });
    } catch (OriginalSchemaException e) {
      batch.flush(); // what was read before the source broke is imported; a failed write of ours is not retried here
      throw e;
    }
    batch.flush();
  }

  private static Owner ownerOf(OriginalRecord record, Map<Long, Owner> owners) {
    Owner owner = OriginalRecords.configId(record.configId()).map(owners::get).orElse(null);
    if (owner == null) {
      log.warn("Pi-hole Checkpoint 1.x: backup record {} belongs to no Pi-hole it lists (config_id {}); skipped", record.id(),
          OriginalRecords.quote(record.configId()));
    }
    return owner;
  }

  /** The entries not yet written, written {@value #BATCH} at a time, with a progress line now and then. */
  private final class Batch {
    private final List<ImportLedger.Entry> entries = new ArrayList<>(BATCH);
    /** Owners whose last good backup is in this batch: it gets its id when written. */
    private final Map<Integer, Owner> lastGoodAt = new HashMap<>();
    final Set<String> names = new HashSet<>();
    private final long total;
    private long done;
    private Instant reported = clock.instant();

    Batch(long total) {
      this.total = total;
    }

    void add(ImportLedger.Entry entry, Owner goodOf) {
      if (goodOf != null) {
        lastGoodAt.put(entries.size(), goodOf);
      }
      entries.add(entry);
      if (entry.backup() != null && entry.backup().fileName() != null) {
        names.add(entry.backup().fileName());
      }
      if (entries.size() >= BATCH) {
        flush();
      }
    }

    void flush() {
      if (entries.isEmpty()) {
        return;
      }
      List<Backup> written = ledger.write(entries);
      lastGoodAt.forEach((index, owner) -> {
        if (owner.lastGood == entries.get(index).backup()) {
          owner.lastGood = written.get(index);
        }
      });
      done += entries.size();
      entries.clear();
      lastGoodAt.clear();
      names.clear();
      Instant now = clock.instant();
      if (Duration.between(reported, now).compareTo(PROGRESS_EVERY) >= 0) {
        reported = now;
        log.info("Importing the history of Pi-hole Checkpoint 1.x: {} of {} records", String.format(Locale.ENGLISH, "%,d", done),
            String.format(Locale.ENGLISH, "%,d", total));
      }
    }
  }
}
