package io.piholecheckpoint.app;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.legacy.OriginalImportService;
import io.piholecheckpoint.core.legacy.OriginalSchemaException;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.Causes;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.listen.ListenSettings;
import io.piholecheckpoint.persistence.CatalogueCopy;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisImportLedger;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.persistence.OriginalDatabase;
import io.piholecheckpoint.persistence.SchemaCheck;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * {@code entrypoint.sh migrate}: brings DATA_DIR/checkpoint.db up to this build's schema,
 * creating it if needed, then carries over the history of Pi-hole Checkpoint 1.x when DATA_DIR
 * holds its db.sqlite3 and it was not imported yet. Runs before the web server, as its own step.
 * {@code entrypoint.sh import-original DATA BACKUPS} imports from another layout.
 */
public final class MigrateCommand {
  /** The process's first logger: slf4j reads its configuration without opening every jar (see FirstLogger). */
  private static final Logger log = FirstLogger.of(MigrateCommand.class);

  private MigrateCommand() {
  }

  public static void main(String[] args) {
    Map<String, String> settings = Settings.read();
    try {
      if (args.length == 3 && args[0].equals("import-original")) {
        importOriginal(settings, Path.of(args[1]), Path.of(args[2]), System.out::println);
      } else if (args.length == 1 && args[0].equals("copy-db")) {
        copyDb(settings, System.out::println);
      } else {
        migrate(settings, System.out::println);
      }
    } catch (AppConfig.ConfigException e) {
      System.err.println("Configuration error: " + LogText.withoutControls(e.getMessage()));
      System.exit(1);
    } catch (OriginalSchemaException e) {
      System.err.println("The history of Pi-hole Checkpoint 1.x was not imported: " + e.getMessage()
          + ". Nothing is recorded as imported: fix what is named and run import-original again");
      System.exit(1);
    } catch (RuntimeException e) {
      java.util.Optional<String> full = FullDisk.message(e, () -> AppConfig.dataDir(settings));
      System.err.println("Migration failed: " + LogText.withoutControls(full.orElse(e.getMessage())));
      System.exit(full.isPresent() ? FullDisk.EXIT_CODE : 1);
    }
  }

  /**
   * The step itself, with the settings given (those of the process in {@link #main}) and each
   * line of its report passed to {@code out}; throws {@link AppConfig.ConfigException} for a
   * wrong setting and another RuntimeException for a failed migration. A failed import of the
   * original's history fails nothing: it is logged, is not recorded as done, and the next start tries again.
   */
  public static void migrate(Map<String, String> settings, Consumer<String> out) {
    try {
      Path dataDir = AppConfig.dataDir(settings);
      // the pass's own checks of the folder, so that a refusal here is in its words (named once, not twice)
      AppConfig.usableFolder("DATA_DIR", dataDir);
      AppConfig.createDirectory("DATA_DIR", dataDir);
      // the start's checks of the SQLite files, before SQLite opens them: this step runs first (entrypoint.sh), and SQLite's
      // refusal would name neither the path nor what to do
      AppConfig.Catalogue catalogue = AppConfig.catalogue(settings);
      if (!catalogue.onPostgresql()) {
        catalogue.checkedFile(dataDir);
        StartPaths.sqliteFiles(dataDir);
      }
      oneAtATime(dataDir, () -> {
        migrateLocked(settings, dataDir, out);
        return null;
      });
    } catch (AppConfig.ConfigException e) {
      throw withEveryProblem(settings, e);
    }
  }

  private static void migrateLocked(Map<String, String> settings, Path dataDir, Consumer<String> out) {
    AppConfig.Catalogue catalogue = AppConfig.catalogue(settings);
    catalogue.makeIfNew(dataDir, made -> Migrations.migrate(made, MigrationLog.appliedScripts(out)));
    try (Database database = catalogue.open(dataDir)) {
      Migrations.migrate(database, MigrationLog.appliedScripts(out));
      Migrations.Applied applied = Migrations.applied(database);
      out.accept(String.format("Database %s is at schema version %s (%d migration(s) applied).", database.describe(), applied.current(), applied.count()));
      try {
        // Only where the original's file is: its graph (the archive inspector's TOML and JSON mappers, ~400 classes)
        // would otherwise be a third of this step's CPU on every start of a server that never ran 1.x.
        if (OriginalImportService.presentIn(dataDir)) {
          originalImport(database, dataDir, backupDir(settings)).importIfPending(dataDir);
        }
      } catch (OriginalSchemaException e) {
        log.warn("The history of Pi-hole Checkpoint 1.x was not imported: {}. The server starts without it; fix or remove {}, and the next"
            + " start tries again", e.getMessage(), dataDir.resolve(OriginalImportService.FILE_NAME));
      } catch (RuntimeException e) {
        log.error("The history of Pi-hole Checkpoint 1.x could not be imported completely; the server starts without the rest of it,"
            + " and the next start goes on where this one stopped", e);
      }
    }
  }

  /**
   * The step's own problem with every other bad setting, the launcher's included, in the one refusal the server would print: the
   * step runs first, and the server, which would name them, does not run after it. Only when the step stops: reading them all (the
   * sign-in secrets hashed, BIND_ADDRESS resolved) is work a good start leaves to the server.
   */
  private static AppConfig.ConfigException withEveryProblem(Map<String, String> settings, AppConfig.ConfigException stopped) {
    List<String> known = new ArrayList<>();
    try {
      ListenSettings.from(settings);
    } catch (ListenSettings.Invalid e) {
      known.addAll(e.problems());
    }
    known.add(stopped.getMessage()); // named once when the pass finds it too, in the same words
    try {
      AppConfig.from(settings, known);
    } catch (AppConfig.ConfigException all) {
      return all;
    }
    return stopped;
  }

  /**
   * {@code import-original DATA BACKUPS}: migrates, then imports {@code DATA/db.sqlite3}. Its archives are
   * kept where they are, so they must be in BACKUP_DIR; a BACKUPS elsewhere is refused with what to do.
   */
  static void importOriginal(Map<String, String> settings, Path originalData, Path originalBackups, Consumer<String> out) {
    // every setting the command reads, checked before anything is written, and named in one refusal
    ConfigProblems problems = new ConfigProblems();
    Path backups = backupDir(settings);
    if (!originalBackups.toAbsolutePath().normalize().equals(backups)) {
      problems.add(("the archives of Pi-hole Checkpoint 1.x stay where they are, so %s must be our BACKUP_DIR (now %s):"
          + " run with BACKUP_DIR=%s, or move its archives into %s first").formatted(originalBackups, backups, originalBackups, backups));
    }
    Path dataDir = AppConfig.dataDir(settings);
    problems.checked(() -> AppConfig.usableFolder("DATA_DIR", dataDir), null);
    AppConfig.Catalogue catalogue = problems.checked(() -> AppConfig.catalogue(settings), null);
    problems.throwIfAny();
    AppConfig.createDirectory("DATA_DIR", dataDir);
    oneAtATime(dataDir, () -> {
      catalogue.makeIfNew(dataDir, made -> Migrations.migrate(made, MigrationLog.appliedScripts(out)));
      try (Database database = catalogue.open(dataDir)) {
        Migrations.migrate(database, MigrationLog.appliedScripts(out));
        out.accept(OriginalImportService.describe(originalImport(database, dataDir, backups)
            .importFrom(originalData.resolve(OriginalImportService.FILE_NAME))));
      }
      return null;
    });
  }

  /**
   * {@code copy-db}: the SQLite catalogue of DATA_DIR copied into the empty PostgreSQL one of
   * DATABASE_URL, both migrated first; the way from a single node to PostgreSQL. Refuses without
   * DATABASE_URL, without the file, and with a target that holds anything.
   */
  static void copyDb(Map<String, String> settings, Consumer<String> out) {
    // every setting the command reads, named in one refusal: a second run should not be needed to learn of the next
    ConfigProblems problems = new ConfigProblems();
    AppConfig.Catalogue catalogue = problems.checked(() -> AppConfig.catalogue(settings), null);
    if (catalogue != null && !catalogue.onPostgresql()) {
      problems.add("copy-db copies the SQLite catalogue of DATA_DIR into PostgreSQL: set DATABASE_URL (and DATABASE_USER,"
          + " DATABASE_PASSWORD) to the new, empty PostgreSQL database");
    }
    Path dataDir = AppConfig.dataDir(settings);
    Path file = AppConfig.databaseFile(dataDir);
    if (!java.nio.file.Files.isRegularFile(file)) {
      problems.add("there is no SQLite catalogue at " + file + " to copy: set DATA_DIR to the directory that holds checkpoint.db");
    }
    problems.throwIfAny();
    oneAtATime(dataDir, () -> {
      try (Database source = copySource(file, catalogue.describe(dataDir), out); Database target = catalogue.open(dataDir)) {
        Migrations.migrate(target, MigrationLog.appliedScripts(out));
        Map<String, Long> copied = CatalogueCopy.copy(source, target);
        out.accept("Copied %s into %s: %s rows (%s); %s is left as it was.".formatted(file, target.describe(),
            copied.values().stream().mapToLong(Long::longValue).sum(), copied, file.getFileName()));
      }
      return null;
    });
  }

  /**
   * The SQLite catalogue copy-db copies from, opened and migrated; one that cannot be read (damaged, which opening it finds
   * before anything is written into it) is refused saying nothing was copied.
   */
  private static Database copySource(Path file, String target, Consumer<String> out) {
    Database source = null;
    try {
      source = Database.open(file);
      Migrations.migrate(source, MigrationLog.appliedScripts(out));
      return source;
    } catch (SchemaCheck.SchemaException e) {
      close(source);
      throw e; // a newer build's, or another program's: readable, and it says what to do
    } catch (RuntimeException e) {
      close(source);
      throw new IllegalStateException(("%s cannot be read as an SQLite catalogue (%s): nothing was copied, and the file and %s are as they"
          + " were. Set DATA_DIR to the directory of an intact checkpoint.db, such as a copy from before the damage").formatted(file,
          Causes.innermostMessage(e), target), e);
    }
  }

  private static void close(Database database) {
    if (database != null) {
      database.close();
    }
  }

  /**
   * One migration step per data directory at a time: of two started at once (two containers on one
   * volume, a restart loop), the second waits for the first and then finds its work done — the
   * schema migrated, the history of 1.x imported — rather than doing the same beside it and failing
   * on SQLITE_CONSTRAINT.
   */
  private static <T> T oneAtATime(Path dataDir, Supplier<T> step) {
    Path file = dataDir.resolve(".migrate.lock");
    try (FileChannel channel = FileChannel.open(OwnedPaths.file(file), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS), OwnedPaths.ownerOnlyFile(file))) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        log.info("Another migration step is running on {}; waiting for it to finish", dataDir);
        lock = channel.lock();
      }
      try {
        return step.get();
      } finally {
        lock.release();
      }
    } catch (OwnedPaths.Unusable e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("could not lock " + file + " (check that DATA_DIR is writable): " + e.getMessage(), e);
    }
  }

  private static Path backupDir(Map<String, String> settings) {
    return AppConfig.backupDir(settings);
  }

  /** The import's own small graph: the migration step has no Application, and needs no scheduler, key or Pi-hole client for it. */
  private static OriginalImportService originalImport(Database database, Path dataDir, Path backupDir) {
    Clock clock = Clock.systemUTC();
    ArchiveStore archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE);
    return new OriginalImportService(OriginalDatabase.in(dataDir), new MyBatisImportLedger(database), new MyBatisInstanceRepository(database, clock),
        new MyBatisBackupRepository(database), archives, clock, new LocalTimeText(ZoneOffset.UTC)); // UTC: this step reads DATA_DIR alone
  }
}
