package io.piholecheckpoint.app;

import io.piholecheckpoint.scheduling.AppJobs;
import io.piholecheckpoint.core.access.AppPassword;
import io.piholecheckpoint.core.access.BearerToken;
import io.piholecheckpoint.core.access.SessionSecret;
import io.piholecheckpoint.core.access.TrustedProxies;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.core.units.SettingText;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.scheduling.Schedules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

/**
 * Settings, read once from the environment and validated. The whole environment is kept for
 * the {@code PIHOLE_<PREFIX>_*} variables, which are read as instances and, at the moment a
 * backup runs, as passwords.
 */
public record AppConfig(
    Path dataDir,
    Path backupDir,
    ZoneId timeZone,
    boolean migrateOnStart,
    DownloadPolicy download,
    int failedRecordDays,
    java.util.List<String> allowedHosts,
    AccessSettings access,
    Encryption encryption,
    Optional<Duration> staleAfter,
    Catalogue catalogue,
    Map<String, String> env) {

  /**
   * Where the catalogue is: DATABASE_URL (PostgreSQL) with DATABASE_USER and DATABASE_PASSWORD(_FILE),
   * or, without it, the SQLite file in DATA_DIR. Never printed with its password.
   *
   * @param lockWait DATABASE_LOCK_WAIT_SECONDS: how long a PostgreSQL write waits for a lock another session holds
   */
  public record Catalogue(Optional<String> url, Optional<String> user, Optional<String> password, Duration connectWait, Duration lockWait) {
    public boolean onPostgresql() {
      return url.isPresent();
    }

    /**
     * A new install's SQLite file made whole, {@code migrate}d under a temporary name and renamed into place, before anything opens
     * it (see {@link io.piholecheckpoint.persistence.NewCatalogue}); nothing when the file is there, or on PostgreSQL.
     */
    public void makeIfNew(Path dataDir, java.util.function.Consumer<Database> migrate) {
      if (!onPostgresql()) {
        io.piholecheckpoint.persistence.NewCatalogue.makeIfMissing(usableFile(databaseFile(dataDir)),
            file -> Database.openUnsynced(file, Database.BUSY_WAIT, connectWait), migrate);
      }
    }

    /** Opens it (nothing connects until used). */
    public Database open(Path dataDir) {
      return url.map(u -> Database.openPostgres(u, user.orElse(null), password.orElse(null), connectWait, Database.ATTEMPT, lockWait))
          .orElseGet(() -> Database.open(usableFile(databaseFile(dataDir)), Database.BUSY_WAIT, connectWait));
    }

    /**
     * A link in place of the SQLite file that points nowhere (a disk not mounted, a file moved) is refused: SQLite would make a new,
     * empty catalogue at its target, and every backup's record would seem gone. A link to the file itself is the user's choice.
     * A folder (or anything else that is not a file) in its place is refused as what it is, not as SQLite's "cannot open".
     */
    /** The first 16 bytes of every SQLite database file. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static Path usableFile(Path file) {
      if (Files.isSymbolicLink(file) && !Files.exists(file)) {
        String target = OwnedPaths.linkTarget(file);
        throw new ConfigException(("%s is a symbolic link to %s, which is not there: Checkpoint would make a new, empty catalogue through"
            + " it, and the records of every backup would seem gone — mount or put back what it points to, or remove the link (rm %s)"
            + " to start a new catalogue").formatted(file, target, file));
      }
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        throw new ConfigException(("%s is %s, not the catalogue's file — point DATA_DIR at the folder that holds checkpoint.db, or move"
            + " what is there away (mv %s %s.away) to start a new catalogue").formatted(file, Files.isDirectory(file) ? "a folder" : "not a regular file",
            file, file));
      }
      if (Files.isRegularFile(file)) {
        notEmptied(file);
      }
      return file;
    }

    /**
     * A fresh install is a missing file. A file that is there but empty or not SQLite's (a power loss while it was replaced, a
     * {@code > checkpoint.db}) is a lost catalogue: SQLite would take it as a new, empty database, and the start would go on
     * with every backup's record, restore and Pi-hole added in the web interface gone, and /health ok. An empty file with a
     * {@code -wal} that holds pages is SQLite's to read.
     */
    private static void notEmptied(Path file) {
      byte[] header = new byte[SQLITE_HEADER.length];
      int read;
      try (java.io.InputStream in = Files.newInputStream(file)) {
        read = in.readNBytes(header, 0, header.length);
      } catch (java.io.IOException e) {
        return; // SQLite says what it cannot read, naming the file
      }
      if (read == 0 && walSize(file) > 0 || java.util.Arrays.equals(header, SQLITE_HEADER)) {
        return;
      }
      throw new ConfigException(("%s is %s, not a catalogue: a new install has no file there, so this one lost what it held (a power"
          + " loss while it was replaced, a '> checkpoint.db'), and starting on it would forget every backup's record, every restore and"
          + " the Pi-holes added in the web interface — put back checkpoint.db from a copy, or delete it (rm %s) to start a new"
          + " catalogue: the archives in BACKUP_DIR are then adopted, and Pi-holes added in the web interface must be added again")
          .formatted(file, read == 0 ? "empty (0 bytes)" : "not an SQLite database (it does not start with SQLite's header)", file));
    }

    private static long walSize(Path file) {
      try {
        return Files.size(file.resolveSibling(file.getFileName() + "-wal"));
      } catch (java.io.IOException e) {
        return 0;
      }
    }

    /** Where the catalogue is the SQLite file of {@code dataDir}: that it is a file, or can be one. */
    Path checkedFile(Path dataDir) {
      return onPostgresql() ? null : usableFile(databaseFile(dataDir));
    }

    /** The file, or the URL with any password in it masked. */
    public String describe(Path dataDir) {
      return url.map(Database::mask).orElseGet(() -> databaseFile(dataDir).toString());
    }

    @Override
    public String toString() {
      return "Catalogue[" + url.map(Database::mask).orElse("SQLite") + user.map(u -> ", user " + u).orElse("")
          + (password.isPresent() ? ", password set" : "") + "]";
    }
  }

  /** DATABASE_URL and its credentials, checked: all the migration step needs besides DATA_DIR. */
  public static Catalogue catalogue(Map<String, String> env) {
    String url = Settings.value(env, "DATABASE_URL", "").trim();
    Optional<String> user = Optional.of(Settings.value(env, "DATABASE_USER", "").trim()).filter(u -> !u.isEmpty());
    Optional<String> password = Settings.secret(env, "DATABASE_PASSWORD");
    if (url.isEmpty()) {
      if (user.isPresent() || password.isPresent()) {
        String set = user.isPresent() && password.isPresent() ? "DATABASE_USER and " + Settings.secretVariable(env, "DATABASE_PASSWORD") + " are"
            : (user.isPresent() ? "DATABASE_USER" : Settings.secretVariable(env, "DATABASE_PASSWORD")) + " is";
        throw new ConfigException(set + " set without DATABASE_URL: set DATABASE_URL=jdbc:postgresql://host:5432/checkpoint"
            + " to use PostgreSQL, or unset them to keep the SQLite file in DATA_DIR");
      }
      return new Catalogue(Optional.empty(), Optional.empty(), Optional.empty(), connectWait(env), Database.LOCK_WAIT);
    }
    if (!url.startsWith("jdbc:postgresql://") || url.length() == "jdbc:postgresql://".length()) {
      throw new ConfigException("DATABASE_URL=" + Database.mask(url) + " is no PostgreSQL JDBC URL: write jdbc:postgresql://host:5432/checkpoint,"
          + " or unset it to keep the SQLite file in DATA_DIR");
    }
    // a write that waits longer for a lock (a LOCK TABLE, a long transaction) is refused, not left hanging with its request
    return new Catalogue(Optional.of(url), user, password, connectWait(env), lockWait(env));
  }

  /**
   * Nodes started at once load the server: a connection that times out is tried again this long, one refused is not; and a
   * start finding the database held by another process (SQLite's file, a PostgreSQL lock) waits this long. Read after
   * DATABASE_URL is checked, so that a bad one is named beside a bad wait (the start checks the wait on its own too).
   */
  private static Duration connectWait(Map<String, String> env) {
    return Duration.ofSeconds(Settings.number(env, "DATABASE_CONNECT_WAIT_SECONDS", 120, 0, 3600));
  }

  private static Duration lockWait(Map<String, String> env) {
    return Duration.ofSeconds(Settings.number(env, "DATABASE_LOCK_WAIT_SECONDS", (int) Database.LOCK_WAIT.toSeconds(), 1, 3600));
  }

  /**
   * Sign-in and tokens; the secrets are only held hashed.
   *
   * @param sessionSecret SESSION_SECRET; empty: the one kept in the database
   */
  public record AccessSettings(Optional<AppPassword> password, Optional<BearerToken> apiToken, Optional<BearerToken> metricsToken,
                               TrustedProxies proxies, Duration sessionIdle, Optional<SessionSecret> sessionSecret) {
  }

  /**
   * BACKUP_ENCRYPTION_PASSPHRASE, checked; the application builds the cipher over it. Without
   * one, new archives are stored as Pi-hole wrote them.
   */
  public record Encryption(Optional<String> passphrase) {
    public boolean encryptsNewArchives() {
      return passphrase.isPresent();
    }

    @Override
    public String toString() {
      return encryptsNewArchives() ? "Encryption[passphrase set]" : "Encryption[none]";
    }
  }

  /** Read once here and then dropped from {@link #env}, so nothing later can log or leak them. */
  private static final java.util.List<String> APP_SECRETS = java.util.List.of("APP_PASSWORD", "API_TOKEN", "METRICS_TOKEN",
      "BACKUP_ENCRYPTION_PASSPHRASE", "DATABASE_PASSWORD", "DATABASE_URL", "SESSION_SECRET");

  public Path databaseFile() {
    return databaseFile(dataDir);
  }

  /** How often a standby process (another holds the scheduler lock) tries to take over: SCHEDULER_LOCK_POLL_SECONDS. */
  /**
   * Heavy archive work (inspections, contents, diffs) runs at most two at a time: each costs up to
   * ~150 MB of SQLite memory and scratch disk at a million domains, and two let a contents page
   * proceed beside one long diff. A person's request waits this long for a turn, then gets a 503.
   */
  public ArchiveWork archiveWork() {
    return new ArchiveWork(archiveParallel(env), archiveBusyWait(env));
  }

  private static int archiveParallel(Map<String, String> env) {
    return Settings.number(env, "ARCHIVE_PARALLEL", 2, 1, 8);
  }

  private static Duration archiveBusyWait(Map<String, String> env) {
    return Duration.ofSeconds(Settings.number(env, "ARCHIVE_BUSY_WAIT_SECONDS", 30, 1, 600));
  }

  /** MAX_PARALLEL_BACKUPS: backups this process runs at once; the others wait their turn, none is dropped. */
  public int maxParallelBackups() {
    return Settings.number(env, "MAX_PARALLEL_BACKUPS", 4, 1, 64);
  }

  /**
   * SCHEDULE_SPREAD: the window each instance's scheduled runs are spread over (see {@link Spread}).
   * None by default: a household's PIHOLE_HOME_TIME=03:00 runs at 03:00, as it says.
   */
  public Spread scheduleSpread() {
    String value = Settings.value(env, "SCHEDULE_SPREAD", "0");
    try {
      // "none" as the pages, the logs and the cluster's refusal write it; "0m" as a window of no length is written
      Duration window = value.equalsIgnoreCase("none") || value.matches("0+[smhd]?") ? Duration.ZERO : SettingText.duration(value);
      if (window.compareTo(Duration.ofDays(7)) <= 0) {
        return new Spread(window);
      }
    } catch (IllegalArgumentException e) {
      // said below, with this setting's own range rather than that of durations in general
    }
    throw new ConfigException("SCHEDULE_SPREAD='" + value + "' must be from 0 (none) to 7d, e.g. 30m");
  }

  /**
   * NODE_NAME: this process's name among the nodes of a cluster (Quartz's instance id, shown by /health and on each
   * backup). By default the host name (a container's id under Docker), cut to 64 characters. Set but empty it is
   * refused, as any other name it cannot take: that is a compose file's {@code NODE_NAME: ${NODE_NAME}} with nothing
   * behind it, and two nodes taking their host names instead would get names that change when a container is recreated.
   */
  public String nodeName() {
    if (env.containsKey("NODE_NAME") && env.get("NODE_NAME").isBlank()) {
      throw new ConfigException("NODE_NAME is set but empty: give this node a name of its own (1 to 64 printable ASCII characters without"
          + " spaces, e.g. checkpoint-1), or remove the variable to use the host name");
    }
    String name = Settings.value(env, "NODE_NAME", "").trim();
    if (name.isEmpty()) {
      String host = Settings.value(env, "HOSTNAME", "").trim();
      name = host.isEmpty() ? localHostName() : host;
      name = name.replaceAll("[^\\x21-\\x7E]", "-");
      return name.length() > 64 ? name.substring(0, 64) : name;
    }
    if (name.length() > 64 || !name.matches("[\\x21-\\x7E]+")) {
      throw new ConfigException("NODE_NAME='" + io.piholecheckpoint.core.units.LogText.escape(name) + "' must be 1 to 64 printable ASCII characters"
          + " without spaces, e.g. checkpoint-1; unset it to use the host name");
    }
    return name;
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "checkpoint";
    }
  }

  /** CLUSTER_CHECKIN_SECONDS: how often a node of a cluster checks in; one silent for this plus 7.5 s counts as dead. */
  public Duration clusterCheckin() {
    return Duration.ofSeconds(Settings.number(env, "CLUSTER_CHECKIN_SECONDS", 10, 1, 300));
  }

  /** CATCH_UP_DELAY_SECONDS: how long after a start a catch-up run waits for the network and the Pi-holes to be up. */
  public Duration catchUpDelay() {
    return Duration.ofSeconds(Settings.number(env, "CATCH_UP_DELAY_SECONDS", (int) Schedules.CATCH_UP_DELAY.toSeconds(), 0, 3600));
  }

  /** DATABASE_RETRY_SECONDS: when a scheduled backup the database failed (busy, out of reach) is first tried again. */
  public Duration firstDatabaseRetry() {
    return Duration.ofSeconds(Settings.number(env, "DATABASE_RETRY_SECONDS", (int) AppJobs.FIRST_DATABASE_RETRY.toSeconds(), 1, 1800));
  }

  public Duration lockPollInterval() {
    return Duration.ofSeconds(Settings.number(env, "SCHEDULER_LOCK_POLL_SECONDS", 5, 1, 3600));
  }

  /** Creates the directory a setting names, or says which setting to change. */
  static void createDirectory(String variable, Path dir) {
    try {
      Files.createDirectories(dir, io.piholecheckpoint.core.files.OwnedPaths.ownerOnlyFolder(dir));
    } catch (IOException e) {
      throw new ConfigException("%s=%s cannot be created: %s — point %s at a writable directory".formatted(variable, dir, e.getMessage(), variable));
    }
  }

  /**
   * Checks, without making anything, that the folder a setting names is one this process can write in, or can be made
   * where it would go: a file in its place, or a folder of another user, would stop the start only later, alone.
   *
   * @return the folder
   * @throws ConfigException naming the setting, what is wrong and what to do
   */
  static Path usableFolder(String variable, Path dir) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return dir; // no root on this file system: creating it will say
    }
    // the folder itself, or the nearest one above it that is there, which must take the new folder
    String what = existing.equals(dir) ? "%s=%s".formatted(variable, dir) : "%s=%s cannot be made: %s".formatted(variable, dir, existing);
    if (!Files.isDirectory(existing)) {
      throw new ConfigException(what + " is a file, not a folder — point " + variable + " at a folder, or move the file away");
    }
    if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
      throw new ConfigException(what + " is a folder this process cannot write in — give it to the app's user (chown) or point "
          + variable + " at a writable one");
    }
    return dir;
  }

  /** Where the database lies in {@code dataDir}. */
  public static Path databaseFile(Path dataDir) {
    return dataDir.resolve("checkpoint.db");
  }

  /** DATA_DIR alone: all the migration step needs, so that a wrong TIME_ZONE is reported by the server, as what it is. */
  public static Path dataDir(Map<String, String> env) {
    return Path.of(Settings.value(env, "DATA_DIR", "./data")).toAbsolutePath().normalize();
  }

  /** BACKUP_DIR alone, for the migration step's import of Pi-hole Checkpoint 1.x's history. */
  public static Path backupDir(Map<String, String> env) {
    return Path.of(Settings.value(env, "BACKUP_DIR", "./backups")).toAbsolutePath().normalize();
  }

  /**
   * Reads and checks every global setting before any is used, so that a start with three bad
   * values names all three at once rather than one per restart.
   *
   * @throws ConfigException naming each setting that cannot be used, what it holds (unless a secret) and what it takes
   */
  public static AppConfig from(Map<String, String> env) {
    return from(env, List.of());
  }

  /**
   * As {@link #from(Map)}, with the problems the launcher found in its own settings named first, in the same refusal.
   *
   * @param listenProblems each of the launcher's settings that cannot be used, in these words
   */
  public static AppConfig from(Map<String, String> env, List<String> listenProblems) {
    ConfigProblems p = new ConfigProblems();
    listenProblems.forEach(p::add);
    Path dataDir = dataDir(env);
    Path backupDir = backupDir(env);
    // the folders too, before anything is written: one that is a file, or cannot be written, is named with the rest
    p.checked(() -> usableFolder("DATA_DIR", dataDir), null);
    p.checked(() -> usableFolder("BACKUP_DIR", backupDir), null);
    p.checked(() -> StartPaths.dataOutsideBackups(dataDir, backupDir), null);
    p.checked(() -> StartPaths.ownFolders(backupDir), null);
    AppConfig config = new AppConfig(
        dataDir,
        backupDir,
        p.checked(() -> zone(Settings.value(env, "TIME_ZONE", "UTC")), ZoneId.of("UTC")),
        p.checked(() -> flag(env, "CHECKPOINT_MIGRATE_ON_START"), false),
        new DownloadPolicy(p.checked(() -> Settings.number(env, "PIHOLE_RETRIES", 3, 0, 10), 3),
            Duration.ofSeconds(p.checked(() -> Settings.number(env, "PIHOLE_TIMEOUT_SECONDS", 60, 1, 3600), 60)),
            DownloadPolicy.DEFAULT.firstBackoff(), DownloadPolicy.DEFAULT.maxBackoff()),
        p.checked(() -> Settings.number(env, "FAILED_RECORD_DAYS", 7, 1, 3650), 7),
        java.util.List.of(Settings.value(env, "ALLOWED_HOSTS", "").split(",")),
        access(env, p),
        p.checked(() -> encryption(env), null),
        p.checked(() -> Settings.duration(env, "STALE_AFTER"), Optional.empty()),
        p.checked(() -> catalogue(env), null),
        withoutSecrets(env));
    // the settings read when first used: checked here too, or a bad one would stop a start already under way
    // each setting on its own: a check of two stops at the first bad one, and the second would go unnamed (a problem two checks
    // find is named once)
    p.checked(() -> archiveParallel(env), 0);
    p.checked(() -> archiveBusyWait(env), null);
    p.checked(() -> connectWait(env), null);
    p.checked(() -> lockWait(env), null);
    p.checked(config::maxParallelBackups, 0);
    p.checked(config::scheduleSpread, null);
    p.checked(config::nodeName, null);
    p.checked(config::clusterCheckin, null);
    p.checked(config::lockPollInterval, null);
    p.checked(config::catchUpDelay, null);
    p.checked(config::firstDatabaseRetry, null);
    if (config.catalogue() != null) {
      p.checked(() -> config.catalogue().checkedFile(dataDir), null);
      if (!config.catalogue().onPostgresql()) {
        p.checked(() -> StartPaths.sqliteFiles(dataDir), null);
      }
    }
    // read when the services are built, after this check: an empty key file would otherwise be named only at the next start
    p.checked(() -> {
      FieldEncryptionKey.check(env, dataDir);
      return null;
    }, null);
    if (p.any()) {
      // a refused start names every secret file that cannot be read, those of a Pi-hole or a notification too (which alone would
      // not stop it): else each comes to light at one more start, one at a time
      SecretFileVariables.unreadable(env).forEach(p::add);
    }
    p.throwIfAny();
    return config;
  }

  private static Encryption encryption(Map<String, String> env) {
    Optional<String> passphrase = Settings.secret(env, "BACKUP_ENCRYPTION_PASSPHRASE");
    if (passphrase.isPresent() && passphrase.get().codePointCount(0, passphrase.get().length()) < 12) {
      throw new ConfigException(Settings.secretVariable(env, "BACKUP_ENCRYPTION_PASSPHRASE") + " is shorter than 12 characters; use a long one (e.g. `openssl rand -base64 24`) "
          + "and keep a copy outside this machine: without it the encrypted archives cannot be opened");
    }
    return new Encryption(passphrase);
  }

  /** Each sign-in setting checked on its own, so that a bad token is named beside a bad password file rather than after it. */
  private static AccessSettings access(Map<String, String> env, ConfigProblems p) {
    Optional<String> password = p.checked(() -> appPassword(env), null); // null: named as unreadable already
    // read even with a password set: "maybe" is refused, not ignored
    boolean required = p.checked(() -> flag(env, "REQUIRE_AUTH"), false);
    if (password != null && password.isEmpty() && required) {
      p.checked(() -> {
        throw new ConfigException("REQUIRE_AUTH=true but no APP_PASSWORD (or APP_PASSWORD_FILE) is set: set one, "
            + "or REQUIRE_AUTH=false to run without sign-in on purpose");
      }, null);
    }
    TrustedProxies proxies = p.checked(() -> {
      try {
        return TrustedProxies.parse(Settings.value(env, "TRUSTED_PROXIES", ""));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("TRUSTED_PROXIES: " + e.getMessage());
      }
    }, null);
    return new AccessSettings(
        password == null ? Optional.empty() : password.map(pw -> AppPassword.of(pw.toCharArray())),
        p.checked(() -> token(env, "API_TOKEN"), Optional.empty()),
        p.checked(() -> token(env, "METRICS_TOKEN"), Optional.empty()),
        proxies,
        Duration.ofMinutes(p.checked(() -> Settings.number(env, "SESSION_IDLE_MINUTES", 720, 1, 525_600), 720)),
        p.checked(() -> sessionSecret(env), Optional.empty()));
  }

  /**
   * One rule for the variable and its file: a blank password is refused, not taken as one of spaces (the file's content is
   * stripped, and one of spaces was refused as empty). Set but empty is refused too, as NODE_NAME is: a compose file's
   * {@code ${APP_PASSWORD}} with nothing behind it would otherwise start without sign-in.
   */
  private static Optional<String> appPassword(Map<String, String> env) {
    refuseBlank(env, "APP_PASSWORD", "the password", "sign-in");
    return Settings.secret(env, "APP_PASSWORD");
  }

  /** Set but blank is refused, for a secret without which a feature is off: the same rule for the password and the tokens. */
  private static void refuseBlank(Map<String, String> env, String name, String what, String without) {
    String given = env.get(name);
    String file = env.get(name + "_FILE");
    if ((file == null || file.isBlank()) && given != null && given.isBlank()) {
      throw new ConfigException("%s is set but %s: set %s (or %s_FILE), or remove the variable to run without %s".formatted(name,
          given.isEmpty() ? "empty" : "holds only spaces", what, name, without));
    }
  }

  private static Optional<SessionSecret> sessionSecret(Map<String, String> env) {
    try {
      return Settings.secret(env, "SESSION_SECRET").map(SessionSecret::of);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Settings.secretVariable(env, "SESSION_SECRET") + " " + e.getMessage());
    }
  }

  private static Optional<BearerToken> token(Map<String, String> env, String name) {
    refuseBlank(env, name, "the token", "it");
    try {
      return Settings.secret(env, name).map(BearerToken::of);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Settings.secretVariable(env, name) + " " + e.getMessage());
    }
  }

  private static Map<String, String> withoutSecrets(Map<String, String> env) {
    Map<String, String> rest = new HashMap<>(env);
    APP_SECRETS.forEach(name -> {
      rest.remove(name);
      rest.remove(name + "_FILE");
    });
    return Map.copyOf(rest);
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new ConfigException("TIME_ZONE='" + id + "' is not a time zone; use an ID such as UTC or Europe/Berlin");
    }
  }

  private static boolean flag(Map<String, String> env, String name) {
    return Settings.flag(env, name, false);
  }

  /** A setting that makes starting pointless; the message names the variable. */
  public static class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      // no stack trace: the message names the setting and what it takes, and a trace under it
      // (the container logs the failed start with one) would only bury it. Its control characters
      // escaped here, once: the container logs it as it is, and a value's line break would forge a line
      super(LogText.withoutControls(message), null, false, false);
    }
  }

  /** Keeps passwords out of any log line that prints the config. */
  @Override
  public String toString() {
    return "AppConfig[dataDir=%s, backupDir=%s, timeZone=%s, migrateOnStart=%s]".formatted(dataDir, backupDir, timeZone, migrateOnStart);
  }
}
