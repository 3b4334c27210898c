package io.piholecheckpoint.app;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code entrypoint.sh migrate}: brings DATA_DIR/checkpoint.db up to this build's schema,
 * creating it if needed. Runs before the web server, as its own step.
 */
public final class MigrateCommand {
  private MigrateCommand() {
  }

  public static void main(String[] args) {
    try {
      migrate(Settings.read(), System.out::println);
    } catch (AppConfig.ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(1);
    } catch (RuntimeException e) {
      System.err.println("Migration failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * The step itself, with the settings given (those of the process in {@link #main}) and each
   * line of its report passed to {@code out}; throws {@link AppConfig.ConfigException} for a
   * wrong setting and another RuntimeException for a failed migration.
   */
  public static void migrate(Map<String, String> settings, Consumer<String> out) {
    Path dataDir = AppConfig.dataDir(settings);
    AppConfig.createDirectory("DATA_DIR", dataDir);
    Path file = AppConfig.databaseFile(dataDir);
    try (Database database = Database.open(file)) {
      Migrations.migrate(database.dataSource(), MigrationLog.appliedScripts(out));
      Migrations.State state = Migrations.state(database.dataSource());
      out.accept(String.format("Database %s is at schema version %s (%d migration(s) applied).", file, state.current(), state.applied()));
    }
  }
}
