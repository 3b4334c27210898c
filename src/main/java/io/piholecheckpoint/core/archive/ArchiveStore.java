package io.piholecheckpoint.core.archive;

import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where archives are kept: the port backups, restores, retention and checks use. Today one
 * implementation, the backup directory on this machine (storage.LocalArchiveStore); remote ones can join it.
 */
public interface ArchiveStore {

  /** Free space of the file system holding a directory. */
  @FunctionalInterface
  interface FreeSpace {
    FreeSpace OF_FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

    long usableBytes(Path directory) throws IOException;
  }

  /** A stored archive as a plain Teleporter ZIP; closing deletes a decrypted copy. */
  interface PlainArchive extends AutoCloseable {
    Path path();

    /** The file name a download offers: that of the ZIP, without {@code .gpg}. */
    String name();

    @Override
    void close() throws IOException;
  }

  /** A received archive, not yet under its final name; closing it without keeping it deletes it. */
  interface Incoming extends AutoCloseable {
    ArchiveInspector.Inspection inspection();

    /** The received archive, plain, until it is kept or closed. */
    Path path();

    /** Moves it to its final name, durably; encrypted first when a passphrase is set. */
    Archive keep(PiholeVersions versions);

    @Override
    void close() throws IOException;
  }

  /**
   * Opens a stored archive for reading as a ZIP.
   *
   * @throws BackupNotFoundException when the file is not there
   * @throws ArchiveStorageException when it cannot be decrypted
   */
  PlainArchive open(String fileName) throws IOException;

  /**
   * Opens a stored archive to show it on a page (contents, diffs): a store may trust a digest it took
   * minutes ago of the unchanged file rather than hash it again at every page. A restore, a download,
   * a sync or a copy uses {@link #open}, which checks the bytes each time.
   */
  default PlainArchive openToShow(String fileName) throws IOException {
    return open(fileName);
  }

  Path directory();

  ArchiveInspector inspector();

  /**
   * Streams {@code in} into a temporary file and inspects it; keep it with {@link Incoming#keep}.
   *
   * @param expectedBytes a guess at the archive's size (the previous one's), for the free-space check
   * @throws IOException when reading {@code in} fails (the Pi-hole's side)
   * @throws ArchiveStorageException when the store cannot take it (our side)
   * @throws InvalidArchiveException when the bytes are not a sound Teleporter archive
   */
  Incoming receive(String slug, Instant at, InputStream in, long expectedBytes) throws IOException;

  /**
   * Re-reads a stored archive: empty when it is sound, else what is wrong with it.
   *
   * @throws WrongPassphraseException when the passphrase set does not open it: it cannot be checked, which is no damage
   */
  Optional<String> verify(Archive archive);

  Optional<Path> find(String fileName);

  /**
   * Brings the file back onto this disk when it is not here and a copy elsewhere holds it (an
   * off-site copy, fetched and verified); nothing happens when it is here or nowhere else. For
   * those that check the file before they {@link #open} it (a restore).
   *
   * @throws ArchiveStorageException when a copy exists but none could be used
   */
  default void fetchIfMissing(String fileName) {
  }

  /**
   * Moves a complete, fsynced and checked file from the scratch folder to {@code fileName} in the
   * store, durably (the rename made durable too): an archive fetched back from an off-site copy.
   *
   * @throws ArchiveStorageException when the name is not one of ours or the disk fails
   */
  void keepFetched(Path scratchFile, String fileName);

  /**
   * Reads the archive again from where this store keeps its original, when that is not this disk (a shared store, of
   * which this disk holds a cached copy): for a cached copy found damaged.
   *
   * @return whether it was read again; false when this disk is all this store has
   * @throws ArchiveStorageException when the original could not be read
   */
  default boolean readAgain(String fileName) {
    return false;
  }

  List<String> fileNames() throws IOException;

  void delete(String fileName) throws IOException;

  /** Removes what interrupted runs left behind; returns how many. Only when no other node may be writing here. */
  int removeIncomplete();

  /**
   * Removes the partial files of runs whose process is gone (killed mid-download), never one a live process of any
   * node still writes; returns how many. Safe at any time.
   */
  int removeAbandoned();

  /** Usable bytes where archives are kept, or -1 when it cannot be told. */
  long usableBytes();

  /** Free space where archives are kept in percent, or -1 when it cannot be told. */
  double freePercent();

  /** Room a backup of about {@code expectedBytes} needs. */
  long requiredFreeBytes(long expectedBytes);
}
