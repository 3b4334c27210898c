package io.piholecheckpoint.core.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SHA-256 of files read again and again without changing. A contents or diff page hashed each
 * archive it showed two to three times (its check against the record, the name of its list index):
 * 4.8 MB at 400,000 domains, 12 MB at a million, nine tenths of the time of every repeated view,
 * while at 25,000 domains the same hashing took a few milliseconds.
 *
 * <p>A digest is reused only while the file is the same file with the same bytes as far as the
 * file system can tell: same device and inode, size, modification time and change time (the
 * ctime moves with any write, even one that sets the mtime back; archives are written whole and
 * renamed into place, so a new archive is a new inode), and for at most {@code maxAge}, after which
 * a read hashes the bytes again. Damage that none of these show (a failing disk) is still found by
 * the integrity check, which reads every byte ({@link ArchiveStore#verify}) and does not ask here.
 */
public final class FileDigests {
  /** How long a page's reads go on trusting a digest: repeated views are fast, and a read checks the bytes again after this. */
  public static final Duration MAX_AGE = Duration.ofMinutes(10);
  /** Decrypted scratch copies come and go under new names: a bound keeps their entries from piling up. */
  private static final int KEPT = 64;
  private final Clock clock;
  private final Duration maxAge;
  private final Map<Path, Known> known = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Known> eldest) {
      return size() > KEPT;
    }
  };

  private final Hash hash;

  public FileDigests(Clock clock, Duration maxAge) {
    this(clock, maxAge, ArchiveFiles::sha256Of);
  }

  /** @param hash reads a file's bytes into its SHA-256: tests count how often */
  FileDigests(Clock clock, Duration maxAge, Hash hash) {
    this.clock = clock;
    this.maxAge = maxAge;
    this.hash = hash;
  }

  interface Hash {
    String sha256(Path file) throws IOException;
  }

  private record Known(List<Object> identity, Instant hashedAt, String sha256) {
  }

  /** The file's SHA-256 (hex), hashed unless it was hashed within {@code maxAge} and has not changed since. */
  public String sha256(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    List<Object> identity = identity(key);
    Instant now = clock.instant();
    synchronized (known) {
      Known k = known.get(key);
      if (k != null && k.identity().equals(identity) && now.isBefore(k.hashedAt().plus(maxAge))) {
        return k.sha256();
      }
    }
    String sha256 = hash.sha256(key);
    // a write while it was read changes the identity: what was read is then no digest of what the file holds
    if (identity.equals(identity(key))) {
      synchronized (known) {
        known.put(key, new Known(identity, now, sha256));
      }
    }
    return sha256;
  }

  private static List<Object> identity(Path file) throws IOException {
    try {
      Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
      return Arrays.asList(unix.get("dev"), unix.get("ino"), unix.get("size"), unix.get("lastModifiedTime"), unix.get("ctime"));
    } catch (UnsupportedOperationException e) {
      // no "unix" view on this platform: the file key (device and inode where there are any), size and mtime
      BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return Arrays.asList(basic.fileKey(), basic.size(), basic.lastModifiedTime());
    }
  }
}
