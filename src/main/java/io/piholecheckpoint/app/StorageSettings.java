package io.piholecheckpoint.app;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.files.DurableFiles;
import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.offsite.s3.S3Destination;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.storage.SharedArchiveStore;
import io.piholecheckpoint.storage.WriteCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Where archives are kept: BACKUP_DIR (no {@code STORAGE_URL}, the default), or a store the nodes
 * of a cluster share — {@code file:///mnt/share} or {@code s3://bucket/prefix?endpoint=…} through
 * the off-site adapters — with a folder of BACKUP_DIR as this node's cache. Validated in full at
 * start; a bad setting stops nothing, but no archive is stored anywhere until it is fixed (a node
 * that kept its archives to itself would break the cluster in silence): each backup fails naming it.
 *
 * @param shared the shared store; null when archives stay in BACKUP_DIR
 * @param problem what is wrong with the settings, or null
 * @param ignored {@code STORAGE_*} variables set without a STORAGE_URL, which configure nothing
 * @param folderMark the cluster's mark that BACKUP_DIR must hold before an archive is written there: the cluster's share
 *     without a STORAGE_URL; null for one node alone, or with a STORAGE_URL (its store is checked instead)
 */
record StorageSettings(Destination shared, String problem, long cacheBytes, List<String> ignored, String folderMark) {
  /** The folder of BACKUP_DIR that caches the shared store's archives. */
  static final String CACHE = "shared-cache";
  private static final Map<String, String> QUERY = Map.of("endpoint", "ENDPOINT", "region", "REGION", "path_style", "PATH_STYLE");

  StorageSettings(Destination shared, String problem, long cacheBytes, List<String> ignored) {
    this(shared, problem, cacheBytes, ignored, null);
  }

  static StorageSettings read(Map<String, String> env, List<Path> ownFolders) {
    String value = Settings.value(env, "STORAGE_URL", "");
    if (value.isEmpty()) {
      return new StorageSettings(null, null, 0, env.keySet().stream().filter(k -> k.startsWith("STORAGE_") && !k.equals("STORAGE_URL")).sorted()
          .toList());
    }
    long cacheBytes = 512L << 20;
    try {
      cacheBytes = (long) Settings.number(env, "STORAGE_CACHE_MB", 512, 0, 1_000_000) << 20;
      Duration timeout = Duration.ofSeconds(Settings.number(env, "STORAGE_TIMEOUT_SECONDS", (int) DestinationConfig.DEFAULT_TIMEOUT.toSeconds(), 1,
          3600));
      return new StorageSettings(open(env, value, timeout, ownFolders), null, cacheBytes, List.of());
    } catch (IllegalArgumentException | AppConfig.ConfigException e) {
      return new StorageSettings(new Unusable(e.getMessage()), e.getMessage(), cacheBytes, List.of());
    }
  }

  private static Destination open(Map<String, String> env, String value, Duration timeout, List<Path> ownFolders) {
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      // the value may hold a secret: the message names the variable only
      throw new IllegalArgumentException("STORAGE_URL is not a URL (" + e.getReason() + "); write it as file:///mnt/share/checkpoint or "
          + "s3://bucket/prefix?endpoint=https://…&region=…");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    UnaryOperator<String> naming = suffix -> switch (suffix) {
      case "URL" -> "STORAGE_URL";
      case "ENDPOINT", "REGION", "PATH_STYLE" -> "STORAGE_URL's " + suffix.toLowerCase(Locale.ROOT) + "=";
      default -> "STORAGE_" + suffix;
    };
    Map<String, String> options = new HashMap<>();
    if (scheme.equals("file")) {
      if (url.getRawQuery() != null || url.getPath() == null || !url.getPath().startsWith("/")) {
        throw new IllegalArgumentException("STORAGE_URL must be a mounted folder such as file:///mnt/share/checkpoint (no ?options)");
      }
      requireOutside(Path.of(url.getPath()), ownFolders);
      return new FileDestination(new DestinationConfig("STORAGE", url, options, timeout, naming));
    }
    if (!scheme.equals("s3")) {
      throw new IllegalArgumentException("STORAGE_URL must start with file:// (a folder every node mounts) or s3:// (a bucket)");
    }
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
        String option = QUERY.get(name);
        if (option == null) {
          throw new IllegalArgumentException("STORAGE_URL has an option ?" + name.replaceAll("\\p{Cntrl}", "?")
              + "= that is none of endpoint=, region= and path_style=");
        }
        options.put(option, pair.contains("=") ? URLDecoder.decode(pair.split("=", 2)[1], StandardCharsets.UTF_8) : "");
      }
    }
    String keyId = Settings.value(env, "STORAGE_ACCESS_KEY_ID", "");
    if (!keyId.isBlank()) {
      options.put("ACCESS_KEY_ID", keyId);
    }
    Settings.secret(env, "STORAGE_SECRET_ACCESS_KEY").ifPresent(v -> options.put("SECRET_ACCESS_KEY", v));
    URI bucket = URI.create("s3://" + (url.getRawAuthority() == null ? "" : url.getRawAuthority()) + (url.getRawPath() == null ? "" : url.getRawPath()));
    return new S3Destination(new DestinationConfig("STORAGE", bucket, options, timeout, naming));
  }

  /**
   * DATA_DIR, BACKUP_DIR and the folder of a {@code file://} STORAGE_URL: an off-site destination in
   * one of them is on the same disk as what it copies, no off-site copy.
   */
  static List<Path> ownFolders(Map<String, String> env, Path dataDir, Path backupDir) {
    List<Path> own = new ArrayList<>(List.of(dataDir, backupDir));
    try {
      URI url = new URI(Settings.value(env, "STORAGE_URL", ""));
      if ("file".equalsIgnoreCase(url.getScheme()) && url.getPath() != null && url.getPath().startsWith("/")) {
        own.add(Path.of(url.getPath()));
      }
    } catch (URISyntaxException e) {
      // no folder: read() says what is wrong with it
    }
    return own;
  }

  /** BACKUP_DIR is this node's own (its cache, its scratch folder): a shared folder there would be emptied by every node's start. */
  private static void requireOutside(Path folder, List<Path> ownFolders) {
    Path shared = folder.toAbsolutePath().normalize();
    for (Path own : ownFolders) {
      Path o = own.toAbsolutePath().normalize();
      if (shared.startsWith(o) || o.startsWith(shared)) {
        throw new IllegalArgumentException("STORAGE_URL is in (or around) " + o + ", this node's own folder (DATA_DIR or BACKUP_DIR, which caches "
            + "the shared archives): mount the share elsewhere, e.g. at /shared, and set STORAGE_URL=file:///shared");
      }
    }
  }

  /**
   * The archive store: BACKUP_DIR itself (checked for the cluster's mark before each write when it is the cluster's share),
   * or the shared store cached in a folder of it (the cache is this node's own).
   */
  ArchiveStore archives(Path backupDir, BiFunction<Path, WriteCheck, LocalArchiveStore> local, Clock clock) {
    if (shared == null) {
      return local.apply(backupDir, folderMark == null ? WriteCheck.NONE : () -> requireMark(backupDir, folderMark));
    }
    AppConfig.createDirectory("BACKUP_DIR", backupDir.resolve(CACHE));
    return new SharedArchiveStore(shared, local.apply(backupDir.resolve(CACHE), WriteCheck.NONE), cacheBytes, clock);
  }

  /** BACKUP_DIR as the cluster's share: it must still hold the mark every node found there at its start. */
  private static void requireMark(Path backupDir, String id) {
    FolderMark folder = new FolderMark(backupDir);
    Optional<String> mark;
    try {
      mark = folder.read();
    } catch (IOException e) {
      throw new ArchiveStorageException("cannot read " + MARK + " in " + folder.where() + " (" + e.getMessage() + "), so it is not known to be the"
          + " folder the other nodes of this cluster read; check the share mounted at BACKUP_DIR and try again", e);
    }
    if (!mark.equals(Optional.of(id))) {
      throw new ArchiveStorageException(notTheStore(folder.where(), mark, "the cluster's share at BACKUP_DIR"));
    }
  }

  /** Why a store without the cluster's mark takes no archive, and what to do: the same words for a STORAGE_URL and a shared BACKUP_DIR. */
  private static String notTheStore(String where, Optional<String> mark, String mount) {
    return ("%s %s, so it is not the store the other nodes of this cluster read (a share mounted after this node started, gone or emptied?)."
        + " Mount %s and try again; if this is meant to be the cluster's new store, stop every node and start them with it (the first one"
        + " marks it)").formatted(where, mark.isEmpty() ? "holds no " + MARK : "holds the mark of another cluster in " + MARK, mount);
  }

  /** Where this node writes the cluster's mark: into the shared store, or BACKUP_DIR when archives are kept there. */
  ClusterAgreement.StoreMark mark(Path backupDir) {
    return shared == null ? new FolderMark(backupDir) : new SharedMark(shared);
  }

  /**
   * These settings with a shared store that takes an archive only while it holds the cluster's mark {@code id}: a share mounted
   * after the node started, or emptied, is a folder the other nodes do not read.
   */
  StorageSettings keptOnlyWith(Optional<String> id) {
    if (problem != null || id.isEmpty()) {
      return this;
    }
    if (shared == null) {
      return new StorageSettings(null, null, cacheBytes, ignored, id.get());
    }
    return new StorageSettings(new Marked(shared, id.get()), null, cacheBytes, ignored);
  }

  /** A name that no archive, cache or scratch file of a store carries. */
  static final String MARK = "checkpoint-cluster.id";

  private record SharedMark(Destination shared) implements ClusterAgreement.StoreMark {
    @Override
    public Optional<String> read() throws IOException {
      try (InputStream in = shared.open(MARK)) {
        return Optional.of(new String(in.readNBytes(100), StandardCharsets.US_ASCII).trim());
      } catch (DestinationException e) {
        if (e.problem() == DestinationException.Problem.MISSING) {
          return Optional.empty();
        }
        throw e;
      }
    }

    @Override
    public void write(String id) throws IOException {
      byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
      shared.put(MARK, new ByteArrayInputStream(bytes), bytes.length);
    }

    @Override
    public String where() {
      return shared.describe();
    }
  }

  private record FolderMark(Path backupDir) implements ClusterAgreement.StoreMark {
    @Override
    public Optional<String> read() throws IOException {
      Path mark = OwnedPaths.file(backupDir.resolve(MARK)); // a link is refused: writing the mark would rename a file over it
      return Files.exists(mark) ? Optional.of(Files.readString(mark, StandardCharsets.US_ASCII).trim()) : Optional.empty();
    }

    /** Into a temp file, fsynced, renamed, the rename made durable: a half-written mark would refuse every other node. */
    @Override
    public void write(String id) throws IOException {
      DurableFiles.write(backupDir.resolve(MARK), id.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String where() {
      return "BACKUP_DIR " + backupDir;
    }
  }

  /** The shared store, checked for the cluster's mark before each write (one small read): the others read only the marked store. */
  private record Marked(Destination shared, String id) implements Destination {
    @Override
    public void put(String key, InputStream in, long length) throws IOException {
      Optional<String> mark = new SharedMark(shared).read();
      if (!mark.equals(Optional.of(id))) {
        throw new DestinationException(DestinationException.Problem.FAILED, notTheStore(shared.describe(), mark,
            "the cluster's store at STORAGE_URL's place"));
      }
      shared.put(key, in, length);
    }

    @Override
    public Optional<RemoteObject> check(String key) throws IOException {
      return shared.check(key);
    }

    @Override
    public InputStream open(String key) throws IOException {
      return shared.open(key);
    }

    @Override
    public List<RemoteObject> list(String prefix) throws IOException {
      return shared.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      shared.delete(key);
    }

    @Override
    public String describe() {
      return shared.describe();
    }

    @Override
    public void close() {
      shared.close();
    }
  }

  /** A STORAGE_URL that cannot be used: every call says why, so every backup fails naming it. */
  private record Unusable(String why) implements Destination {
    private DestinationException refused() {
      return new DestinationException(DestinationException.Problem.FAILED, "archives are stored nowhere until STORAGE_URL is fixed: " + why);
    }

    @Override
    public void put(String key, InputStream in, long length) throws DestinationException {
      throw refused();
    }

    @Override
    public Optional<RemoteObject> check(String key) throws DestinationException {
      throw refused();
    }

    @Override
    public InputStream open(String key) throws DestinationException {
      throw refused();
    }

    @Override
    public List<RemoteObject> list(String prefix) throws DestinationException {
      throw refused();
    }

    @Override
    public void delete(String key) throws DestinationException {
      throw refused();
    }

    @Override
    public String describe() {
      return "STORAGE_URL (not usable)";
    }

    @Override
    public void close() {
    }
  }
}
