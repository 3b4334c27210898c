package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A data directory and backup directory as Pi-hole Checkpoint 1.x (1.2.0, Django) leaves them:
 * {@code db.sqlite3} with its tables as its migrations create them, and archives named as it names
 * them. Rows are written as Django writes them (times naive UTC with microseconds, booleans 0/1).
 */
public final class OriginalCheckpoint implements AutoCloseable {
  private static final DateTimeFormatter DJANGO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
  private static final String SCHEMA = """
      CREATE TABLE "backup_piholeconfig" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL,
        "backup_frequency" varchar(10) NOT NULL, "backup_time" time NOT NULL, "backup_day" smallint NOT NULL,
        "max_backups" integer unsigned NOT NULL CHECK ("max_backups" >= 0), "max_age_days" integer unsigned NOT NULL CHECK ("max_age_days" >= 0),
        "is_active" bool NOT NULL, "last_successful_backup" datetime NULL, "last_backup_error" text NOT NULL, "created_at" datetime NOT NULL,
        "updated_at" datetime NOT NULL, "connection_status" varchar(20) NOT NULL, "env_prefix" varchar(50) NULL UNIQUE);
      CREATE TABLE "backup_backuprecord" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "filename" varchar(255) NOT NULL,
        "file_path" varchar(500) NOT NULL, "file_size" bigint NOT NULL, "checksum" varchar(64) NOT NULL, "status" varchar(10) NOT NULL,
        "error_message" text NOT NULL, "is_manual" bool NOT NULL, "created_at" datetime NOT NULL,
        "config_id" bigint NOT NULL REFERENCES "backup_piholeconfig" ("id") DEFERRABLE INITIALLY DEFERRED);
      CREATE INDEX "backup_backuprecord_config_id_idx" ON "backup_backuprecord" ("config_id");
      """;

  private final Path dataDir;
  private final Path backupDir;
  private final Connection db;
  private int suffix;

  private OriginalCheckpoint(Path dataDir, Path backupDir, Connection db) {
    this.dataDir = dataDir;
    this.backupDir = backupDir;
    this.db = db;
  }

  /** Creates {@code dataDir/db.sqlite3} with the original's two tables (and {@code backupDir}). */
  public static OriginalCheckpoint create(Path dataDir, Path backupDir) throws IOException, SQLException {
    Files.createDirectories(dataDir);
    Files.createDirectories(backupDir);
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("db.sqlite3"));
    try (Statement s = db.createStatement()) {
      for (String statement : SCHEMA.split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
    db.setAutoCommit(false);
    return new OriginalCheckpoint(dataDir, backupDir, db);
  }

  public Path database() {
    return dataDir.resolve("db.sqlite3");
  }

  /** An instance as its environment discovery creates it; returns its id. */
  public long instance(String name, String envPrefix, String frequency, String time, int day, int maxBackups, int maxAgeDays, boolean active)
      throws SQLException {
    try (PreparedStatement s = db.prepareStatement("INSERT INTO backup_piholeconfig (name, backup_frequency, backup_time, backup_day, max_backups,"
        + " max_age_days, is_active, last_backup_error, created_at, updated_at, connection_status, env_prefix)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, '', '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000', 'ok', ?)")) {
      s.setString(1, name);
      s.setString(2, frequency);
      s.setString(3, time);
      s.setInt(4, day);
      s.setInt(5, maxBackups);
      s.setInt(6, maxAgeDays);
      s.setInt(7, active ? 1 : 0);
      s.setString(8, envPrefix);
      s.executeUpdate();
    }
    return lastId();
  }

  /** The name the original gives an archive of {@code instanceName} made at {@code at}. */
  public String archiveName(String instanceName, Instant at) {
    String safe = instanceName.toLowerCase(Locale.ROOT).replaceAll("[^\\w-]", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
    return "pihole_checkpoint_%s_%s_%08x.zip".formatted(safe, STAMP.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)), ++suffix);
  }

  /** A successful backup: {@code archive} written under the original's name, recorded with its SHA-256; returns the file name. */
  public String success(long configId, String instanceName, Instant at, boolean manual, byte[] archive) throws IOException, SQLException {
    String name = archiveName(instanceName, at);
    Files.write(backupDir.resolve(name), archive);
    record(configId, name, "/app/backups/" + name, archive.length, sha256(archive), "success", "", manual, at);
    return name;
  }

  public long failure(long configId, Instant at, boolean manual, String message) throws SQLException {
    return record(configId, "", "", 0, "", "failed", message, manual, at);
  }

  /** Inserts a record as it is given, for rows the original would not write; returns its id. */
  public long record(long configId, String fileName, String filePath, long size, String checksum, String status, String error, boolean manual,
                     Instant at) throws SQLException {
    return rawRecord(String.valueOf(configId), fileName, filePath, size, checksum, status, error, manual ? "1" : "0",
        DJANGO.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)));
  }

  /** Inserts a record of any values, every one as text (SQLite keeps what it is given). */
  public long rawRecord(String configId, String fileName, String filePath, long size, String checksum, String status, String error, String manual,
                        String createdAt) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("INSERT INTO backup_backuprecord (filename, file_path, file_size, checksum, status,"
        + " error_message, is_manual, created_at, config_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, fileName);
      s.setString(2, filePath);
      s.setLong(3, size);
      s.setString(4, checksum);
      s.setString(5, status);
      s.setString(6, error);
      s.setString(7, manual);
      s.setString(8, createdAt);
      s.setString(9, configId);
      s.executeUpdate();
    }
    return lastId();
  }

  /** Runs any statement on the original's database, e.g. to break it. */
  public void execute(String sql) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  public void commit() throws SQLException {
    db.commit();
  }

  private long lastId() throws SQLException {
    try (Statement s = db.createStatement(); var r = s.executeQuery("SELECT last_insert_rowid()")) {
      r.next();
      return r.getLong(1);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  /** Commits and closes: the database as the original leaves it when its container stops. */
  @Override
  public void close() throws SQLException {
    if (!db.isClosed()) {
      db.commit();
      db.close();
    }
  }
}
