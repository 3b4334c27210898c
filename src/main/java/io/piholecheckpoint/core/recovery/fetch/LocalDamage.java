package io.piholecheckpoint.core.recovery.fetch;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.FileDigests;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The archive on this disk opened as every reader opens it (decrypted when it is stored encrypted)
 * and checked against its backup's record, size and SHA-256 of the plain archive: a byte changed
 * on disk is found before it is served, inspected or restored. The bytes are read once more than
 * before (an archive's contents page already hashes it to find its list index): tens of
 * milliseconds for a million-domain archive.
 */
final class LocalDamage {
  private final ArchiveStore.PlainArchive sound;
  private final String what;
  private final boolean changed;
  private final ArchiveStorageException unreadable;

  private LocalDamage(ArchiveStore.PlainArchive sound, String what, boolean changed, ArchiveStorageException unreadable) {
    this.sound = sound;
    this.what = what;
    this.changed = changed;
    this.unreadable = unreadable;
  }

  /** The archive opened when it is the one recorded (the caller closes it); else what is wrong with it. */
  static LocalDamage open(ArchiveStore store, Archive record, FileDigests digests) throws IOException {
    ArchiveStore.PlainArchive plain;
    try {
      plain = store.open(record.fileName());
    } catch (ArchiveDamagedException e) {
      return changed(e.getMessage());
    } catch (ArchiveStorageException e) {
      // a damaged header reads as another passphrase: either may be so until a copy decrypts with this one
      return new LocalDamage(null, "it cannot be decrypted: " + e.getMessage(), false, e);
    } catch (IOException e) {
      return changed("it cannot be read: " + e.getMessage()); // an encrypted file cut short or garbled where its packets begin
    }
    try {
      Optional<String> difference = difference(plain.path(), record, digests);
      if (difference.isEmpty()) {
        return new LocalDamage(plain, null, false, null);
      }
      plain.close();
      return changed(difference.get());
    } catch (IOException e) {
      plain.close();
      return changed("it cannot be read: " + e.getMessage());
    }
  }

  /** {@link #open}, closed again: empty when the archive is the one recorded. */
  static Optional<String> check(ArchiveStore store, Archive record, FileDigests digests) throws IOException {
    LocalDamage found = open(store, record, digests);
    if (found.sound == null) {
      return Optional.of(found.what);
    }
    found.sound.close();
    return Optional.empty();
  }

  private static LocalDamage changed(String what) {
    return new LocalDamage(null, what, true, null);
  }

  private static Optional<String> difference(Path plain, Archive record, FileDigests digests) throws IOException {
    long size = Files.size(plain);
    String sha256 = digests.sha256(plain);
    if (size == record.sizeBytes() && sha256.equalsIgnoreCase(record.sha256())) {
      return Optional.empty();
    }
    return Optional.of("it is " + size + " bytes with SHA-256 " + sha256 + ", not the " + record.sizeBytes() + " bytes with SHA-256 "
        + record.sha256() + " recorded when it was stored: it has changed on disk");
  }

  /** The archive, open, when it is the one recorded; else null. */
  ArchiveStore.PlainArchive sound() {
    return sound;
  }

  /** What is wrong with it, when it is not sound. */
  String what() {
    return what;
  }

  /** Whether it is known not to be the archive recorded (not only unreadable with this passphrase). */
  boolean changed() {
    return changed;
  }

  /** Why it could not be decrypted, when it is not known {@link #changed}. */
  ArchiveStorageException unreadable() {
    return unreadable;
  }
}
