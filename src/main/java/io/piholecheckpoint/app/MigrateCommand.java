package io.piholecheckpoint.app;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;

/**
 * {@code entrypoint.sh migrate}: brings DATA_DIR/checkpoint.db up to this build's schema,
 * creating it if needed. Runs before the web server, as its own step.
 */
public final class MigrateCommand {
  private MigrateCommand() {
  }

  public static void main(String[] args) {
    try {
      AppConfig config = AppConfig.from(ProcessSettings.read());
      Application.createDirectory("DATA_DIR", config.dataDir());
      try (Database database = Database.open(config.databaseFile())) {
        Migrations.migrate(database.dataSource(), MigrationLog.appliedScripts(System.out::println));
        Migrations.State state = Migrations.state(database.dataSource());
        System.out.printf("Database %s is at schema version %s (%d migration(s) applied).%n", config.databaseFile(), state.current(), state.applied());
      }
    } catch (RuntimeException e) {
      System.err.println("Migration failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
