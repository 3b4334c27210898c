package io.piholecheckpoint.storage;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives kept in a store that several nodes share (STORAGE_URL: a mounted share or an S3 bucket,
 * through the off-site adapters' {@link Destination} port), with a folder of this node's backup
 * directory as its cache (archives BACKUP_DIR itself holds are not read: they are not shared). A backup counts as stored only once the object is in the shared store and the store's
 * size and SHA-256 of it match the file written here; else it fails and leaves nothing, here or
 * there. An archive read here is fetched into the cache first, streamed to a scratch file and
 * checked against the store's own size and SHA-256, then fsynced and renamed into place; the cache
 * is trimmed, least recently used first, to its bound. Everything else (decrypting, inspecting,
 * free space, the scratch folder) is the backup directory's, as without a shared store.
 */
public final class SharedArchiveStore implements ArchiveStore {
  private static final Logger log = LoggerFactory.getLogger(SharedArchiveStore.class);
  /** A cached file read this recently may be open by a reader: trimming leaves it. */
  static final Duration IN_USE = Duration.ofMinutes(1);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Destination shared;
  private final LocalArchiveStore cache;
  private final long cacheBytes;
  private final Clock clock;

  /** @param cacheBytes how much of the backup directory cached archives may take (files read in the last minute beyond it) */
  public SharedArchiveStore(Destination shared, LocalArchiveStore cache, long cacheBytes, Clock clock) {
    this.shared = shared;
    this.cache = cache;
    this.cacheBytes = cacheBytes;
    this.clock = clock;
  }

  /** Where archives are kept, for pages and logs (never a secret). */
  public String describe() {
    return shared.describe();
  }

  @Override
  public PlainArchive open(String fileName) throws IOException {
    fetchIfMissing(fileName);
    return cache.open(fileName);
  }

  @Override
  public Optional<Path> find(String fileName) {
    fetchIfMissing(fileName);
    return cache.find(fileName);
  }

  /**
   * Brings the archive into the cache when the shared store has it; marks a cached one as just read.
   *
   * @throws ArchiveStorageException when the shared store cannot be read or its object is not what it says it is
   */
  @Override
  public void fetchIfMissing(String fileName) {
    if (!ArchiveFiles.isOurs(fileName)) {
      return;
    }
    Optional<Path> cached = cache.find(fileName);
    if (cached.isPresent()) {
      touch(cached.get());
      return;
    }
    fetch(fileName);
  }

  /** One fetch at a time: two pages opening the same archive download it once. */
  private synchronized void fetch(String fileName) {
    if (cache.find(fileName).isPresent()) {
      return;
    }
    try {
      Optional<RemoteObject> stored = shared.check(fileName);
      if (stored.isEmpty()) {
        return; // nowhere: the callers say it is missing
      }
      Path part = ScratchDirectory.of(cache.directory()).createHeld("shared-");
      try {
        String sha256 = download(fileName, part, stored.get().size() + 1);
        if (Files.size(part) != stored.get().size() || !sha256.equalsIgnoreCase(stored.get().sha256())) {
          throw new ArchiveStorageException("the archive " + fileName + " read from " + shared.describe() + " is not what the store holds ("
              + Files.size(part) + " bytes, SHA-256 " + sha256 + "; the store says " + stored.get().size() + " bytes, SHA-256 "
              + stored.get().sha256() + "); try again, or check the store");
        }
        cache.keepFetched(part, fileName);
        cache.find(fileName).ifPresent(this::touch);
      } finally {
        ScratchDirectory.release(part);
      }
    } catch (IOException e) {
      throw unreadable(fileName, e);
    }
    trim(fileName);
  }

  /** Streams the object to the scratch file, fsynced, at most {@code limit} bytes; returns the SHA-256 of what came. */
  private String download(String fileName, Path part, long limit) throws IOException {
    MessageDigest sha256 = ArchiveFiles.sha256();
    try (InputStream in = shared.open(fileName); var out = java.nio.channels.FileChannel.open(part, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      long size = 0;
      for (int n; size < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - size))) != -1; size += n) {
        sha256.update(buffer, 0, n);
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      }
      out.force(true);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private ArchiveStorageException unreadable(String fileName, IOException e) {
    return new ArchiveStorageException("the archive " + fileName + " could not be read from the shared store " + shared.describe() + ": "
        + ArchiveFiles.reason(e) + " — check STORAGE_URL and the store", e);
  }

  @Override
  public Path directory() {
    return cache.directory();
  }

  @Override
  public ArchiveInspector inspector() {
    return cache.inspector();
  }

  @Override
  public Incoming receive(String slug, Instant at, InputStream in, long expectedBytes) throws IOException {
    Incoming received = cache.receive(slug, at, in, expectedBytes);
    return new Incoming() {
      @Override
      public ArchiveInspector.Inspection inspection() {
        return received.inspection();
      }

      @Override
      public Path path() {
        return received.path();
      }

      @Override
      public Archive keep(PiholeVersions versions) {
        Archive kept = received.keep(versions);
        store(kept.fileName());
        return kept;
      }

      @Override
      public void close() throws IOException {
        received.close();
      }
    };
  }

  /**
   * Sends a file the cache just kept to the shared store and compares what the store holds with it.
   * On failure neither the file here nor an object there is left: the backup failed.
   */
  private void store(String fileName) {
    Path file = cache.find(fileName).orElseThrow(() -> new ArchiveStorageException("the archive " + fileName + " vanished from " + directory()
        + " before it was sent to the shared store"));
    try {
      put(fileName, file);
      touch(file);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(file);
      try {
        shared.delete(fileName);
      } catch (IOException | RuntimeException left) {
        e.addSuppressed(left); // an object that may be half there is not listed by us: no record names it
      }
      throw new ArchiveStorageException("the archive could not be stored in the shared store " + shared.describe() + ": " + ArchiveFiles.reason(e)
          + " — nothing was kept; check STORAGE_URL, its credentials and the store", e);
    }
    trim(fileName);
  }

  private void put(String fileName, Path file) throws IOException {
    MessageDigest sha256 = ArchiveFiles.sha256();
    long size = Files.size(file);
    try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), sha256)) {
      shared.put(fileName, in, size);
    }
    String sent = HexFormat.of().formatHex(sha256.digest());
    RemoteObject stored = shared.check(fileName).orElseThrow(() -> new DestinationException(DestinationException.Problem.MISSING,
        fileName + " is not in " + shared.describe() + " right after it was written"));
    if (stored.size() != size || !sent.equalsIgnoreCase(stored.sha256())) {
      throw new DestinationException(DestinationException.Problem.FAILED, "the store holds " + stored.size() + " bytes with SHA-256 "
          + stored.sha256() + " under " + fileName + ", not the " + size + " bytes with SHA-256 " + sent + " sent");
    }
  }

  /**
   * Re-reads the archive as the shared store has it: the store's size and SHA-256 of its object
   * against the cached copy (fetched again when they differ or there is none), then the copy
   * against the backup's record and a fresh inspection.
   */
  @Override
  public Optional<String> verify(Archive archive) {
    String fileName = archive.fileName();
    Optional<RemoteObject> stored;
    try {
      stored = shared.check(fileName);
    } catch (IOException e) {
      return Optional.of("the shared store " + shared.describe() + " could not be read: " + ArchiveFiles.reason(e));
    }
    if (stored.isEmpty()) {
      return Optional.of("the file " + fileName + " is missing from the shared store " + shared.describe());
    }
    Optional<Path> cached = cache.find(fileName);
    try {
      if (cached.isPresent() && (Files.size(cached.get()) != stored.get().size()
          || !ArchiveFiles.sha256Of(cached.get()).equalsIgnoreCase(stored.get().sha256()))) {
        deleteQuietly(cached.get()); // a stale or damaged copy here says nothing of the store: read the store's again
      }
      fetchIfMissing(fileName);
    } catch (IOException | ArchiveStorageException e) {
      return Optional.of(ArchiveFiles.reason(e));
    }
    return cache.verify(archive);
  }

  /**
   * An archive fetched back from an off-site copy: kept here, and sent to the shared store again
   * (where it was missing). When that fails it stays usable here and the next fetch tries again.
   */
  @Override
  public void keepFetched(Path scratchFile, String fileName) {
    cache.keepFetched(scratchFile, fileName);
    try {
      Path file = cache.find(fileName).orElseThrow();
      put(fileName, file);
    } catch (IOException | RuntimeException e) {
      log.warn("The archive {} fetched from an off-site copy could not be put back into the shared store {}: {}", fileName, shared.describe(),
          ArchiveFiles.reason(e));
    }
  }

  /** The cached copy dropped and fetched from the shared store again (checked against the store's own size and SHA-256). */
  @Override
  public synchronized boolean readAgain(String fileName) {
    cache.find(fileName).ifPresent(SharedArchiveStore::deleteQuietly);
    fetch(fileName);
    return cache.find(fileName).isPresent();
  }

  /** The archives of the shared store: those of every node. */
  @Override
  public List<String> fileNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (RemoteObject object : shared.list("")) {
      if (!object.key().contains("/") && ArchiveFiles.isOurs(object.key())) {
        names.add(object.key());
      }
    }
    return names;
  }

  /** From the shared store first: a copy left here is only a cache, one left there would still be listed. */
  @Override
  public void delete(String fileName) throws IOException {
    if (ArchiveFiles.isOurs(fileName)) {
      shared.delete(fileName);
      cache.delete(fileName);
    }
  }

  @Override
  public int removeIncomplete() {
    return cache.removeIncomplete();
  }

  @Override
  public int removeAbandoned() {
    return cache.removeAbandoned();
  }

  @Override
  public long usableBytes() {
    return cache.usableBytes();
  }

  @Override
  public double freePercent() {
    return cache.freePercent();
  }

  @Override
  public long requiredFreeBytes(long expectedBytes) {
    return cache.requiredFreeBytes(expectedBytes);
  }

  /**
   * Deletes cached archives, least recently read first, until the cache is within its bound; never
   * {@code keep}, nor one read in the last minute (a reader may be about to open it). Every file of
   * the cache is a copy (one another node deleted since goes in its turn). The list indexes stay:
   * they belong to the content, which the store still holds.
   */
  private void trim(String keep) {
    try {
      record Cached(String name, Path file, long size, FileTime read) {
      }
      List<Cached> files = new ArrayList<>();
      long total = 0;
      for (String name : cache.fileNames()) {
        Path file = cache.directory().resolve(name);
        Cached cached = new Cached(name, file, Files.size(file), Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
        files.add(cached);
        total += cached.size();
      }
      files.sort(Comparator.comparing(Cached::read));
      Instant recent = clock.instant().minus(IN_USE);
      for (Iterator<Cached> it = files.iterator(); it.hasNext() && total > cacheBytes; ) {
        Cached cached = it.next();
        if (!cached.name().equals(keep) && cached.read().toInstant().isBefore(recent)) {
          Files.deleteIfExists(cached.file());
          total -= cached.size();
        }
      }
    } catch (IOException e) {
      log.warn("The cache of shared archives in {} could not be trimmed: {}", directory(), e.getMessage());
    }
  }

  private void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
    } catch (IOException e) {
      // then it is trimmed a little earlier
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a cached copy left behind is trimmed later
    }
  }
}
