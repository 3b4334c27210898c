package io.piholecheckpoint.app;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import java.nio.file.Path;

/**
 * {@code entrypoint.sh migrate}: brings DATA_DIR/checkpoint.db up to this build's schema,
 * creating it if needed. Runs before the web server, as its own step.
 */
public final class MigrateCommand {
  private MigrateCommand() {
  }

  public static void main(String[] args) {
    try {
      Path dataDir = AppConfig.dataDir(Settings.read());
      Application.createDirectory("DATA_DIR", dataDir);
      Path file = AppConfig.databaseFile(dataDir);
      try (Database database = Database.open(file)) {
        Migrations.migrate(database.dataSource(), MigrationLog.appliedScripts(System.out::println));
        Migrations.State state = Migrations.state(database.dataSource());
        System.out.printf("Database %s is at schema version %s (%d migration(s) applied).%n", file, state.current(), state.applied());
      }
    } catch (AppConfig.ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(1);
    } catch (RuntimeException e) {
      System.err.println("Migration failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
