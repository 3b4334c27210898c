package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.instance.InstanceRepository;
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

  public OriginalImportService(OriginalSource.Opener sources, ImportLedger ledger, InstanceRepository instances, BackupRepository backups,
                               ArchiveStore archives, Clock clock) {
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

  /** Imports the original's database {@code file} unless an import finished already; completes one cut short. */
  public ImportLedger.Summary importFrom(Path file) {
    Optional<ImportLedger.Summary> done = ledger.find().filter(ImportLedger.Summary::finished);
    if (done.isPresent()) {
      log.info("The history of Pi-hole Checkpoint 1.x was imported from {} at {}; nothing more to import", done.get().source(), done.get().finishedAt());
      return done.get();
    }
    ledger.start(file.toAbsolutePath().toString(), clock.instant());
    String note = null;
    OriginalSource source;
    try {
      source = sources.open(file);
    } catch (OriginalSchemaException e) {
      note = "nothing imported from " + file + ": " + e.getMessage();
      log.warn("Pi-hole Checkpoint 1.x: {}; the start goes on without its history", note);
      return ledger.finish(clock.instant(), note);
    }
    try (source) {
      Map<Long, Owner> owners = owners(source.instances(MAX_INSTANCES + 1));
      copyRecords(source, owners);
    } catch (OriginalSchemaException e) {
      note = "its database " + file + " stopped being readable (" + e.getMessage() + "); what was read before is imported";
      log.warn("Pi-hole Checkpoint 1.x: {}", note);
    }
    ImportLedger.Summary summary = ledger.finish(clock.instant(), note);
    if (summary.records() > 0 || note == null) {
      log.info("{}{}", describe(summary), summary.skipped() == 0 ? ""
          : String.format(Locale.ENGLISH, " (%,d records skipped, each named above)", summary.skipped()));
    }
    return summary;
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
      log.warn("Pi-hole Checkpoint 1.x: its database lists more than {} Pi-holes; those after the first {} are not imported", MAX_INSTANCES, MAX_INSTANCES);
    }
    OriginalOwners matcher = new OriginalOwners(instances, ledger);
    Map<Long, Owner> owners = new HashMap<>();
    for (OriginalInstance row : rows.subList(0, Math.min(rows.size(), MAX_INSTANCES))) {
      long id = matcher.ownerOf(row);
      Backup lastGood = backups.findSuccessful(id).stream().filter(b -> !b.suspicious() && !b.fileMissing() && b.verifyError() == null)
          .findFirst().orElse(null);
      owners.put(row.id(), new Owner(id, lastGood));
    }
    return owners;
  }

  private void copyRecords(OriginalSource source, Map<Long, Owner> owners) {
    long after = ledger.lastRecordId();
    long total = source.countRecords(after);
    if (total > 0) {
      log.info("Importing {} backup records of Pi-hole Checkpoint 1.x{}", String.format(Locale.ENGLISH, "%,d", total),
          after > 0 ? " (the rest of an import cut short)" : "");
    }
    Batch batch = new Batch(total);
    OriginalArchives reader = new OriginalArchives(archives, ledger, batch.names);
    try {
      source.records(after, record -> {
        Owner owner = ownerOf(record, owners);
        Optional<Backup> backup = owner == null ? Optional.empty() : reader.backupOf(record, owner, batch::flush);
        batch.add(new ImportLedger.Entry(record.id(), backup.orElse(null)), backup.isPresent() && owner.lastGood == backup.get() ? owner : null);
      });
    } catch (OriginalSchemaException e) {
      batch.flush(); // what was read before the source broke is imported; a failed write of ours is not retried here
      throw e;
    }
    batch.flush();
  }

  private static Owner ownerOf(OriginalRecord record, Map<Long, Owner> owners) {
    String configId = record.configId() == null ? "" : record.configId().trim();
    Owner owner = configId.matches("\\d{1,18}") ? owners.get(Long.parseLong(configId)) : null;
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
