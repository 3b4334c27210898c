package io.piholecheckpoint.web;

import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The fixture of the tests of another session's locks (DatabaseLockIT, LockedTablesIT): the app in this JVM on a new
 * database of the test cluster, signed in to with a password file as an operator's would be, and a session of the test's
 * own on that database that takes a table lock and holds it until {@link #letGo()}.
 */
final class AppBesideALock implements AutoCloseable {
  private final InProcessApp app;
  private final Connection locker;
  /** The Pi-hole of the environment's HOME instance, or null. */
  private final FakePihole home;

  private AppBesideALock(InProcessApp app, Connection locker, FakePihole home) {
    this.app = app;
    this.locker = locker;
    this.home = home;
  }

  /** With one Pi-hole of the environment, HOME, as a node has before anything is added (its rows are what the locks stop). */
  static AppBesideALock startWithHome(Path dir) throws Exception {
    return startWithHome(dir, Map.of());
  }

  /** The same, with {@code env} besides HOME's and the database's settings. */
  static AppBesideALock startWithHome(Path dir, Map<String, String> env) throws Exception {
    FakePihole home = FakePihole.start("labpass");
    try {
      Map<String, String> settings = new HashMap<>(env);
      settings.putAll(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
      return start(dir, settings, home);
    } catch (Exception | Error e) {
      home.close();
      throw e;
    }
  }

  /** @param env the app's settings besides the database's */
  static AppBesideALock start(Path dir, Map<String, String> env) throws Exception {
    return start(dir, env, null);
  }

  private static AppBesideALock start(Path dir, Map<String, String> env, FakePihole home) throws Exception {
    String url = PostgresServer.shared().createDatabase(null);
    Path password = Files.writeString(dir.resolve("database-password"), PostgresServer.PASSWORD + "\n");
    Map<String, String> settings = new HashMap<>(env);
    settings.putAll(Map.of("DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD_FILE", password.toString()));
    InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), settings);
    try {
      Connection locker = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
      locker.setAutoCommit(false);
      return new AppBesideALock(app, locker, home);
    } catch (SQLException | RuntimeException e) {
      app.close();
      throw e;
    }
  }

  InProcessApp app() {
    return app;
  }

  /** {@code LOCK TABLE table IN mode MODE}, held in the session's transaction until {@link #letGo()}. */
  void lock(String table, String mode) throws SQLException {
    try (Statement lock = locker.createStatement()) {
      lock.execute("LOCK TABLE " + table + " IN " + mode + " MODE");
    }
  }

  /** Ends the session's transaction: every lock it took is let go. */
  void letGo() throws SQLException {
    locker.rollback();
  }

  @Override
  public void close() throws Exception {
    try {
      locker.close();
    } finally {
      try {
        app.close();
      } finally {
        if (home != null) {
          home.close();
        }
      }
    }
  }
}
